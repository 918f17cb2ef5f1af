/**
 * The operating-system boundary around a graded kernel. The hardening in the prelude stops JavaScript tricks;
 * a submission can also read and write files, start processes and open sockets, so its kernel runs:
 *
 * - "namespaces": inside bubblewrap, with its own pid, network, IPC and mount namespaces, as an unprivileged
 *   uid. It sees Node, the project's node_modules and dist/ read-only, a private scratch folder (a small
 *   tmpfs) as its home, working directory and /tmp, the kernel's connection file and sockets, and the
 *   append-only token file: nothing of homework/, build/, the project's source, the grader's files or other
 *   submissions. When the kernel goes, its pid namespace goes, and with it every process it started.
 * - "user": where namespaces are not available (some container platforms), the kernel runs as a dedicated
 *   uid that has no account; the grader takes away other users' access to what that uid must not see
 *   (chmod o-rwx), checks the boundary by probing as that uid, and kills every process of the uid when a
 *   kernel goes. The network stays reachable: that needs the platform's own setting.
 * - "none": `--no-sandbox`, an explicit opt-out.
 *
 * Each submission also gets rlimits: memory (RLIMIT_DATA: typed arrays fail to allocate, the V8 heap dies
 * with a message the grader recognizes), processes and threads (RLIMIT_NPROC, counted per uid, so every
 * kernel gets a uid of its own: leaseUid), file size (RLIMIT_FSIZE) and no core dumps.
 */
import { spawnSync } from "child_process";
import {
  chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, statSync,
  symlinkSync, writeFileSync,
} from "fs";
import { tmpdir } from "os";
import { dirname, join, relative, sep } from "path";
import { DIST, NODE_MODULES, ROOT } from "../paths";

export type Boundary = "namespaces" | "user" | "none";

/** What one submission may use. */
export interface Limits {
  /** Memory of each process, in MB (RLIMIT_DATA). */
  memoryMB: number;
  /** Processes and threads of the submission's uid (RLIMIT_NPROC). */
  processes: number;
  /** The largest file it may write and the size of its scratch folder and /tmp, in MB. */
  diskMB: number;
}

export const DEFAULT_LIMITS: Limits = { memoryMB: 2048, processes: 256, diskMB: 64 };

/** The first uid handed to graded kernels; concurrent jobs take the next ones. None may have an account. */
export const SANDBOX_UID = 59000;

/** Where one submission's kernel runs, as the Jupyter driver needs it. */
export interface Jail {
  boundary: Boundary;
  /** The uid the kernel runs as, when the grader switches to one (root); the connection file is given to it. */
  uid: number | null;
  /** The command that starts the kernel; jupyter_client fills in {connection_file}. */
  argv: string[];
  /** The launcher's working directory (outside the sandbox). */
  cwd: string;
  /** The connection file and the kernel's Unix sockets. */
  runtimeDir: string;
  /** The file graded tests append their tokens to (the kernel may append, not read). */
  tokenFile: string;
  /** The grader's own files for this submission (the notebook to run, the executed copy): never in the jail. */
  privateDir: string;
  /** Kills what the submission left running (the user boundary; namespaces end with their kernel). */
  sweep: string[] | null;
  /** The uid's lease (see leaseUid), given back by closeJail. */
  lease: string | null;
}

const isRoot = (): boolean => process.getuid?.() === 0;

/** True when bubblewrap can make pid, network and mount namespaces here. */
function namespacesWork(): boolean {
  const args = ["--unshare-pid", "--unshare-net", "--die-with-parent", "--ro-bind", "/", "/", "--proc", "/proc",
    "--dev", "/dev"];
  const probe = spawnSync("bwrap", [...args, "--", "/bin/true"], { stdio: "ignore", timeout: 10_000 });
  return probe.status === 0;
}

/** Picks the boundary: "auto" is namespaces where bubblewrap works, else the user boundary (as root). */
export function chooseBoundary(requested: "auto" | Boundary): Boundary {
  if (requested === "none") return "none";
  if (requested === "namespaces" || requested === "auto") {
    if (namespacesWork()) return "namespaces";
    if (requested === "namespaces") {
      throw new Error("bubblewrap cannot create namespaces here (is it installed? scripts/install-system.sh)");
    }
  }
  if (!isRoot()) {
    throw new Error("no sandbox is available: bubblewrap cannot create namespaces here, and the user boundary needs " +
      "root to run kernels as another uid. Run as root, or pass --no-sandbox to grade unprotected");
  }
  return "user";
}

/** One line for reports: which boundary graded the submission. */
export function describeBoundary(boundary: Boundary): string {
  switch (boundary) {
    case "namespaces": return "namespaces (bubblewrap: own pid, network and mount namespaces, unprivileged uid)";
    case "user": return "user (an unprivileged uid, files guarded by permissions; the network is not cut)";
    case "none": return "none (--no-sandbox: the submission ran with the grader's rights)";
  }
}

/** Where the grader records which sandbox uids are taken, one folder per uid holding the owner's pid. */
const LEASES = join(tmpdir(), "minitorch-sandbox-uids");

/**
 * Takes a uid for one kernel that no account and no other running grader uses, so that no two kernels (of
 * this run's jobs or of another grader on the machine) share a process limit, and the user boundary's
 * kill-everything-of-this-uid never reaches another's kernel. A lease left by a grader that died is taken over.
 */
export function leaseUid(): { uid: number; lease: string } {
  mkdirSync(LEASES, { recursive: true, mode: 0o700 });
  for (let uid = SANDBOX_UID; uid < SANDBOX_UID + 10_000; uid++) {
    const lease = join(LEASES, String(uid));
    try {
      mkdirSync(lease);
    } catch {
      const owner = Number(readFileSync(join(lease, "pid"), { encoding: "utf8", flag: "a+" }));
      const fresh = Date.now() - statSync(lease).mtimeMs < 60_000; // just taken: its pid is on its way
      if (owner > 0 ? alive(owner) : fresh) continue;
      rmSync(lease, { recursive: true, force: true });
      try {
        mkdirSync(lease);
      } catch {
        continue; // taken meanwhile
      }
    }
    // An account: skip it (its lease stays, without a pid, and goes stale).
    if (spawnSync("getent", ["passwd", String(uid)], { stdio: "ignore" }).status === 0) continue;
    writeFileSync(join(lease, "pid"), String(process.pid));
    return { uid, lease };
  }
  throw new Error(`no free uid for the sandbox in ${SANDBOX_UID}..${SANDBOX_UID + 9999}`);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The command that kills every process of `uid` (kill(-1) as that uid spares only itself). */
function sweepCommand(uid: number): string[] {
  return [...asUid(uid), "--", "kill", "-KILL", "-1"];
}

/** setpriv switching to `uid` (and its group) with no supplementary groups; its command follows. */
function asUid(uid: number): string[] {
  return ["setpriv", `--reuid=${uid}`, `--regid=${uid}`, "--clear-groups"];
}

/** tslab's entry point, run directly with the grader's Node. */
const TSLAB_MAIN = join(NODE_MODULES, "tslab", "bin", "tslab");

/** Kills what a jail left running (twice: a process forked during the first pass dies in the second). */
export function sweep(jail: Jail): void {
  if (jail.sweep === null) return;
  for (let i = 0; i < 2; i++) spawnSync(jail.sweep[0], jail.sweep.slice(1), { stdio: "ignore" });
}

/** The kernel: this project's tslab on the Node that runs the grader. */
function kernelCommand(): string[] {
  return [process.execPath, TSLAB_MAIN, "kernel", "--config-path", "{connection_file}"];
}

function rlimits(limits: Limits): string[] {
  const mb = (n: number) => Math.round(n * 1024 * 1024);
  const { memoryMB, processes, diskMB } = limits;
  return ["prlimit", `--data=${mb(memoryMB)}`, `--nproc=${processes}`, `--fsize=${mb(diskMB)}`, "--core=0", "--"];
}

/** Drops root for `uid` with no capabilities left (the user boundary, and inside bubblewrap when run as root). */
function dropTo(uid: number): string[] {
  return [...asUid(uid), "--inh-caps=-all", "--bounding-set=-all", "--"];
}

/**
 * bubblewrap's mount arguments, in order. Folders it must create on the way to a mount point are made
 * explicitly, world-readable (bubblewrap would make them 0700, out of the kernel's uid's reach).
 */
class View {
  readonly args: string[] = [];
  private readonly made = new Set<string>(["/"]);

  private parents(path: string): void {
    const parts = path.split("/").filter(Boolean);
    for (let i = 1; i < parts.length; i++) {
      const dir = "/" + parts.slice(0, i).join("/");
      if (!this.made.has(dir)) this.args.push("--perms", "0755", "--dir", dir);
      this.made.add(dir);
    }
    this.made.add(path);
  }

  /** `how` is a bubblewrap mount option taking (source, destination): --ro-bind, --bind, --symlink, ... */
  mount(how: string, source: string, destination: string): this {
    this.parents(destination);
    this.args.push(how, source, destination);
    return this;
  }

  /** A mount taking only a destination (--proc, --dev, --tmpfs), after `options` (--perms, --size). */
  place(how: string, destination: string, options: string[] = []): this {
    this.parents(destination);
    this.args.push(...options, how, destination);
    return this;
  }
}

/** Read-only binds of the system folders Node needs (as symlinks where the host has them as symlinks). */
function systemView(view: View): View {
  view.mount("--ro-bind", "/usr", "/usr");
  for (const dir of ["/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"]) {
    if (!existsSync(dir)) continue;
    const real = realpathSync(dir);
    if (real === dir) view.mount("--ro-bind", dir, dir);
    else view.mount("--symlink", relative("/", real), dir);
  }
  for (const file of ["/etc/ld.so.cache", "/etc/localtime", "/etc/ssl/openssl.cnf"]) {
    if (existsSync(file)) view.mount("--ro-bind", file, file);
  }
  const node = realpathSync(process.execPath);
  if (!node.startsWith(`/usr${sep}`)) view.mount("--ro-bind", dirname(dirname(node)), dirname(dirname(node)));
  return view;
}

/** The home (and working directory) of a sandboxed kernel. */
const HOME = "/home/student";

/**
 * Makes the folders of one submission's jail under a fresh directory in the system's temp folder, and the
 * command that starts its kernel, as a uid of its own (when the grader is root). Remove it with `closeJail`.
 */
export function openJail(boundary: Boundary, limits: Limits): Jail {
  const root = isRoot();
  const { uid, lease } = boundary === "none" || !root ? { uid: null, lease: null } : leaseUid();
  const base = mkdtempSync(join(tmpdir(), "minitorch-grade-"));
  chmodSync(base, 0o711); // the kernel's uid may pass through to its runtime folder and token file, not list
  const privateDir = join(base, "private");
  const runtimeDir = join(base, "runtime");
  const tokenFile = join(base, "tokens");
  mkdirSync(privateDir, { mode: 0o700 });
  mkdirSync(runtimeDir, { mode: 0o700 });
  writeFileSync(tokenFile, "", { mode: 0o602 }); // others: append only
  chmodSync(tokenFile, 0o602);
  if (uid !== null) chownSync(runtimeDir, uid, uid);
  const env = { HOME: HOME, PATH: "/usr/bin:/bin", LANG: "C.UTF-8" };

  if (boundary === "namespaces") {
    const mb = (n: number) => String(Math.round(n * 1024 * 1024));
    const view = systemView(new View())
      .place("--proc", "/proc").place("--dev", "/dev")
      .place("--tmpfs", "/tmp", ["--perms", "1777", "--size", mb(limits.diskMB)])
      .place("--tmpfs", HOME, ["--perms", "1777", "--size", mb(limits.diskMB)])
      .mount("--ro-bind", NODE_MODULES, NODE_MODULES).mount("--ro-bind", DIST, DIST)
      .mount("--ro-bind", join(ROOT, "package.json"), join(ROOT, "package.json"))
      .mount("--symlink", NODE_MODULES, join(HOME, "node_modules"))
      .mount("--bind", runtimeDir, runtimeDir).mount("--bind", tokenFile, tokenFile);
    const argv = [
      ...rlimits(limits),
      "bwrap", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
      "--die-with-parent",
      ...(root ? [] : ["--unshare-user"]),
      "--clearenv", ...Object.entries(env).flatMap(([k, v]) => ["--setenv", k, v]),
      ...view.args, "--chdir", HOME, "--",
      ...(uid === null ? [] : dropTo(uid)),
      ...kernelCommand(),
    ];
    return { boundary, uid, argv, cwd: runtimeDir, runtimeDir, tokenFile, privateDir, sweep: null, lease };
  }

  // The user boundary and no sandbox: a scratch folder on disk, with the project's packages linked in.
  const home = join(base, "home");
  mkdirSync(home, { mode: 0o700 });
  mkdirSync(join(home, "tmp"), { mode: 0o700 });
  symlinkSync(NODE_MODULES, join(home, "node_modules"));
  if (uid !== null) {
    chownSync(home, uid, uid);
    chownSync(join(home, "tmp"), uid, uid);
  }
  const vars = Object.entries({ ...env, HOME: home, TMPDIR: join(home, "tmp") }).map(([k, v]) => `${k}=${v}`);
  const files = { runtimeDir, tokenFile, privateDir, lease };
  if (boundary === "none") return { boundary, uid: null, argv: kernelCommand(), cwd: home, sweep: null, ...files };
  if (uid === null) throw new Error("the user boundary needs root");
  const argv = [...rlimits(limits), ...dropTo(uid), "env", "-i", ...vars, ...kernelCommand()];
  const jail: Jail = { boundary, uid, argv, cwd: home, sweep: sweepCommand(uid), ...files };
  sweep(jail); // what a grader that died left running as this uid
  return jail;
}

/** Kills what the jail left running and removes its folders. */
export function closeJail(jail: Jail): void {
  sweep(jail);
  rmSync(dirname(jail.privateDir), { recursive: true, force: true });
  if (jail.lease !== null) rmSync(jail.lease, { recursive: true, force: true });
}

/** What the user boundary must keep from the kernel's uid: other users lose access to these (chmod o-rwx). */
export interface Guarded {
  /** Files and folders the kernel must not read (instructor notebooks, submissions, outputs). */
  secret: readonly string[];
}

/** A file is guarded by its folder, unless that folder holds the project (the kernel must pass through it). */
function guardTarget(path: string): string {
  const dir = statSync(path).isDirectory() ? path : dirname(path);
  return ROOT === dir || ROOT.startsWith(dir + sep) ? path : dir;
}

/**
 * The file-permission half of the user boundary: takes read, write and search rights for "others" from every
 * top-level entry of the project but node_modules, dist and package.json (and from listing the project
 * itself), and from the folders of the files named in `guarded`; then checks, as `uid`, that none of them can
 * be read, that node_modules and dist cannot be written, and that the kernel's files can be read (as a sandbox
 * uid: any uid without an account is "others"). Throws naming what is still open. Returns the paths it changed.
 */
export function guardFiles(guarded: Guarded): string[] {
  const { uid, lease } = leaseUid();
  try {
    return guard(uid, guarded);
  } finally {
    rmSync(lease, { recursive: true, force: true });
  }
}

function guard(uid: number, guarded: Guarded): string[] {
  const keep = new Set(["node_modules", "dist", "package.json"]);
  const secret = new Set<string>(readdirSync(ROOT).filter((e) => !keep.has(e)).map((e) => join(ROOT, e)));
  for (const path of guarded.secret) if (existsSync(path)) secret.add(guardTarget(path));
  const changed: string[] = [];
  const take = (path: string, bits: number) => {
    const mode = statSync(path).mode & 0o7777;
    if ((mode & bits) !== 0) {
      chmodSync(path, mode & ~bits);
      changed.push(path);
    }
  };
  take(ROOT, 0o004);
  for (const path of secret) take(path, 0o007);

  const probe = `
const fs = require("fs");
const [secret, readOnly, needed] = JSON.parse(process.argv[1]);
const open = [];
for (const p of secret) {
  try { fs.statSync(p).isDirectory() ? fs.readdirSync(p) : fs.readFileSync(p); open.push("can read " + p); } catch {}
}
for (const p of readOnly) { try { fs.accessSync(p, fs.constants.W_OK); open.push("can write " + p); } catch {} }
for (const p of needed) {
  try { fs.accessSync(p, fs.constants.R_OK); } catch (e) { open.push("cannot read " + p + " (" + e.code + ")"); }
}
console.log(JSON.stringify(open));`;
  const readOnly = [ROOT, NODE_MODULES, DIST, join(NODE_MODULES, "tslab"), join(ROOT, "package.json")];
  const needed = [TSLAB_MAIN, join(DIST, "index.js"), join(ROOT, "package.json"), process.execPath];
  const paths = JSON.stringify([[...secret], readOnly, needed]);
  const [setpriv, ...switchUid] = asUid(uid);
  const run = spawnSync(setpriv, [...switchUid, "--", process.execPath, "-e", probe, paths], {
    encoding: "utf8", cwd: "/",
  });
  if (run.status !== 0) {
    throw new Error(`cannot probe the user boundary as uid ${uid}: ${run.stderr || run.error?.message}`);
  }
  const open = JSON.parse(run.stdout) as string[];
  if (open.length > 0) {
    throw new Error(`the user boundary does not hold for uid ${uid}: ${open.join("; ")} (fix the permissions, ` +
      "or grade where bubblewrap works)");
  }
  return changed;
}
