// The figure builders of src/plot: data conversion, layout, argument errors, and label escaping.
import { describe, expect, test } from "vitest";
import * as plot from "../src/plot";
import { escapeText, scriptJson, scriptSource, unescapeText } from "../src/plot/escape";
import { tensor } from "../src/tensor/create";

const EVIL = `</script><script>alert("pwned")</script> & <b>bold</b>`;

type Trace = Record<string, unknown> & { x?: number[]; y?: number[]; z?: number[][] };
const traces = (fig: plot.Figure): Trace[] => fig.data as Trace[];

describe("escaping", () => {
  test("escapeText turns markup into text and unescapeText undoes it", () => {
    expect(escapeText(`<script>"a" & 'b'</script>`)).toBe(`&lt;script&gt;"a" &amp; 'b'&lt;/script&gt;`);
    expect(unescapeText(escapeText(EVIL))).toBe(EVIL);
  });

  test("scriptJson cannot close a script element and still parses to the same value", () => {
    const value = { text: EVIL, sep: "\u2028\u2029" };
    const json = scriptJson(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  test("scriptSource hides </script and <!-- inside literals without changing them", () => {
    const js = `var a = "</script><!--", b = /<\\/script>/;`;
    const safe = scriptSource(js);
    expect(safe).not.toMatch(/<\/script|<!--/i);
    expect(new Function(`${safe}; return [a, b.source];`)()).toEqual(new Function(`${js}; return [a, b.source];`)());
  });

  const figures: [string, () => plot.Figure][] = [
    ["line", () => plot.line({ ys: { [EVIL]: [1, 2] } }, { title: EVIL, xLabel: EVIL, yLabel: EVIL })],
    ["functions", () => plot.functions({ [EVIL]: Math.sin }, { range: [0, 1], derivatives: true, title: EVIL })],
    ["curves", () => plot.curves({ [EVIL]: [1, 2] }, { right: [EVIL], rightLabel: EVIL })],
    ["bar", () => plot.bar([1, 2], { labels: [EVIL, "b"], title: EVIL })],
    ["groupedBar", () => plot.groupedBar({ labels: [EVIL], series: { [EVIL]: [1] } })],
    ["heatmap", () => plot.heatmap([[1]], { title: EVIL })],
    ["imageGrid", () => plot.imageGrid({ [EVIL]: [[1]] }, { title: EVIL })],
    ["scatter", () => plot.scatter({ points: [[0, 0]], labels: [1] }, { title: EVIL, xLabel: EVIL })],
  ];
  test.each(figures)("%s: no user text reaches the figure or its HTML as markup", (_, make) => {
    const fig = make();
    expect(JSON.stringify(fig)).not.toMatch(/<\/?(script|b)\b/i);
    const html = plot.bundle(fig, { plotly: false })["text/html"];
    expect(html.match(/<script/gi)).toHaveLength(1); // only our own drawing script
    expect(html.match(/<\/script/gi)).toHaveLength(1);
    expect(html).toContain("&lt;/script&gt;&lt;script&gt;alert"); // the text summary, shown as text
  });

  test("the title is shown as written: escaped for plotly, raw in the text summary", () => {
    const fig = plot.line({ ys: { a: [1] } }, { title: EVIL });
    expect(fig.layout.title?.text).toBe(escapeText(EVIL));
    expect(plot.summary(fig)).toContain(JSON.stringify(EVIL));
  });
});

describe("line, functions, curves", () => {
  test("line takes arrays and tensors, and x defaults to 0, 1, 2, ...", () => {
    const fig = plot.line({ ys: { a: [3, 4, 5], b: tensor([[1, 2, 3]]) } }, { title: "t" });
    expect(traces(fig).map((t) => [t.x, t.y])).toEqual([[[0, 1, 2], [3, 4, 5]], [[0, 1, 2], [1, 2, 3]]]);
    expect(traces(fig).map((t) => t.name)).toEqual(["a", "b"]);
  });

  test("line reports mismatched lengths and bad values naming the argument", () => {
    expect(() => plot.line({ x: [0, 1], ys: { a: [1, 2, 3] } })).toThrow('plot.line: x has 2 values but ys["a"] has 3');
    expect(() => plot.line({ ys: { a: [1, "2" as unknown as number] } }))
      .toThrow('plot.line: ys["a"][1] must be a number, got string 2');
    expect(() => plot.line({ ys: {} })).toThrow("plot.line: ys must name at least one series");
  });

  test("functions samples the range and adds central-difference derivatives, dashed", () => {
    const fig = plot.functions({ cube: (x) => x ** 3 }, { range: [-2, 2], points: 41, derivatives: true });
    const [f, df] = traces(fig);
    expect(f.x).toHaveLength(41);
    expect(f.x?.[0]).toBe(-2);
    expect(f.x?.[40]).toBe(2);
    expect(df.name).toBe("cube'");
    expect((df.line as { dash: string }).dash).toBe("dash");
    df.x?.forEach((x, i) => expect(Math.abs((df.y?.[i] ?? NaN) - 3 * x * x)).toBeLessThan(1e-4));
  });

  test("functions rejects an empty or reversed range", () => {
    expect(() => plot.functions({ f: Math.sin }, { range: [1, 1] }))
      .toThrow("plot.functions: range must be [lo, hi] with lo < hi, got [1, 1]");
  });

  test("curves counts steps from 1 and puts the named series on the right axis", () => {
    const fig = plot.curves({ loss: [0.9, 0.5], accuracy: [0.5, 0.8] }, { right: ["accuracy"] });
    expect(traces(fig).map((t) => [t.x, t.yaxis])).toEqual([[[1, 2], "y"], [[1, 2], "y2"]]);
    expect(fig.layout.yaxis2).toMatchObject({ overlaying: "y", tickmode: "auto", showgrid: false });
    expect(fig.layout.yaxis2?.range).toBeUndefined();
    expect(fig.layout.xaxis?.title?.text).toBe("epoch");
    const fixed = plot.curves({ loss: [1], accuracy: [0.5] }, { right: ["accuracy"], rightRange: [0, 1] });
    expect(fixed.layout.yaxis2?.range).toEqual([0, 1]);
    expect(() => plot.curves({ loss: [1], accuracy: [0.5] }, { right: ["accuracy"], rightRange: [1, 0] }))
      .toThrow("plot.curves: rightRange must be [lo, hi] with lo < hi, got [1, 0]");
    expect(() => plot.curves({ loss: [1] }, { right: ["acc"] }))
      .toThrow('plot.curves: right names series ["acc"] that are not plotted');
  });

  test("markersOnly draws the named series as unjoined markers, whatever markers says for the others", () => {
    const ys = { exact: [1, 2, 3], [EVIL]: [1, 2, 3], other: [3, 2, 1] };
    const fig = plot.line({ ys }, { markersOnly: [EVIL], markers: true });
    expect(traces(fig).map((t) => t.mode)).toEqual(["lines+markers", "markers", "lines+markers"]);
    expect(traces(fig)[1].name).toBe(escapeText(EVIL));
    const long = plot.functions({ f: Math.sin }, { range: [0, 1], derivatives: true, markersOnly: ["f'"] });
    expect(traces(long).map((t) => t.mode)).toEqual(["lines", "markers"]);
  });

  test("markersOnly names a plotted series, or the builder says which", () => {
    expect(() => plot.line({ ys: { a: [1] } }, { markersOnly: ["b"] }))
      .toThrow('plot.line: markersOnly names series ["b"] that are not plotted; the series are ["a"]');
    expect(() => plot.functions({ f: Math.sin }, { range: [0, 1], markersOnly: ["f'"] }))
      .toThrow('plot.functions: markersOnly names series ["f\'"]');
  });

  test("logX and logY make the axes logarithmic with 10^k ticks and keep their titles", () => {
    const data = { x: [1, 10, 100], ys: { error: [1e-3, 1e-9, 1e-17] } };
    const fig = plot.line(data, { logX: true, logY: true, xLabel: "s", yLabel: "error" });
    expect(fig.layout.xaxis).toMatchObject({ type: "log", exponentformat: "power", title: { text: "s" } });
    expect(fig.layout.yaxis).toMatchObject({ type: "log", exponentformat: "power", title: { text: "error" } });
    const onlyY = plot.line({ ys: { a: [1, 2] } }, { logY: true });
    expect([onlyY.layout.xaxis?.type, onlyY.layout.yaxis?.type]).toEqual([undefined, "log"]);
    expect(plot.line({ ys: { a: [1, 2] } }).layout.yaxis?.type).toBeUndefined();
  });

  test("logY is the left axis only: a right-hand accuracy axis stays linear", () => {
    const fig = plot.curves({ loss: [2, 0.1, 0.001], accuracy: [0.5, 0.9, 1] }, { right: ["accuracy"], logY: true });
    expect(fig.layout.yaxis?.type).toBe("log");
    expect(fig.layout.yaxis2?.type).toBeUndefined();
    expect(fig.layout.xaxis?.title?.text).toBe("epoch");
  });
});

describe("bar and groupedBar", () => {
  test("bar draws one category per value and highlights one bar", () => {
    const fig = plot.bar([0.1, 0.7, 0.2], { highlight: 1, yRange: [0, 1], labels: ["cat", "dog", "fox"] });
    const [t] = traces(fig);
    expect(t.x).toEqual(["cat", "dog", "fox"]);
    const colors = (t.marker as { color: string[] }).color;
    expect(colors[1]).not.toBe(colors[0]);
    expect(colors[2]).toBe(colors[0]);
    expect(fig.layout.yaxis?.range).toEqual([0, 1]);
    expect(fig.layout.xaxis?.type).toBe("category");
  });

  test("bar reports a bad highlight or label count", () => {
    expect(() => plot.bar([1, 2], { highlight: 2 }))
      .toThrow("plot.bar: highlight must be the index of a bar in [0, 2), got 2");
    expect(() => plot.bar([1, 2], { labels: ["a"] })).toThrow("plot.bar: labels has 1 names but there are 2 bars");
  });

  test("groupedBar groups named series over shared categories", () => {
    const fig = plot.groupedBar({ series: { softmax: [0.2, 0.8], "one-hot": tensor([0, 1]) } });
    expect(fig.layout.barmode).toBe("group");
    expect(traces(fig).map((t) => [t.name, t.x, t.y]))
      .toEqual([["softmax", ["0", "1"], [0.2, 0.8]], ["one-hot", ["0", "1"], [0, 1]]]);
    expect(() => plot.groupedBar({ series: { a: [1, 2], b: [1] } }))
      .toThrow('every series needs the same length: "a" has 2 values, "b" has 1');
  });
});

describe("heatmap and imageGrid", () => {
  test("heatmap draws a matrix with row 0 on top and square cells", () => {
    const fig = plot.heatmap(tensor([[[1, 2, 3], [4, 5, 6]]]), { annotate: true, zRange: [0, 10] });
    const [t] = traces(fig);
    expect(t.z).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect([t.zmin, t.zmax, t.texttemplate]).toEqual([0, 10, "%{z:.3~g}"]);
    expect(fig.layout.yaxis?.autorange).toBe("reversed");
    expect(fig.layout.yaxis?.scaleanchor).toBe("x");
  });

  test("heatmap reports non-matrices", () => {
    expect(() => plot.heatmap(tensor([[[1], [2]], [[3], [4]]])))
      .toThrow("plot.heatmap: matrix must be a 2-D tensor [H, W], got shape [2,2,1]");
    expect(() => plot.heatmap([[1, 2], [3]]))
      .toThrow("plot.heatmap: matrix must be rectangular: row 0 has 2 values, row 1 has 1");
  });

  test("imageGrid puts each image of an [N, 1, H, W] tensor in its own subplot", () => {
    const images = tensor([[[[1, 2], [3, 4]]], [[[5, 6], [7, 8]]], [[[9, 10], [11, 12]]]]);
    const fig = plot.imageGrid(images, { columns: 2 });
    expect(traces(fig).map((t) => [t.xaxis, t.yaxis, t.z?.[1]]))
      .toEqual([["x", "y", [3, 4]], ["x2", "y2", [7, 8]], ["x3", "y3", [11, 12]]]);
    expect(fig.layout.grid).toMatchObject({ rows: 2, columns: 2 });
    expect(fig.layout.yaxis3?.scaleanchor).toBe("x3");
    expect(fig.layout.annotations?.map((a) => [a.text, a.xref]))
      .toEqual([["0", "x domain"], ["1", "x2 domain"], ["2", "x3 domain"]]);
  });

  test("imageGrid names images by record key", () => {
    const fig = plot.imageGrid({ input: [[1, 0], [0, 1]], pooled: [[0.5]] }, { annotate: true });
    expect(fig.layout.annotations?.map((a) => a.text)).toEqual(["input", "pooled"]);
    expect(traces(fig).map((t) => t.texttemplate)).toEqual(["%{z:.3~g}", "%{z:.3~g}"]);
    expect(() => plot.imageGrid([])).toThrow("plot.imageGrid: images must hold at least one image");
  });
});

describe("scatter", () => {
  const points = [[0, 0], [1, 0], [0, 1], [1, 1]];
  const labels = [0, 0, 1, 1];

  test("one trace per class, coloured by the class index", () => {
    const fig = plot.scatter({ points, labels });
    expect(traces(fig).map((t) => [t.name, t.x, t.y]))
      .toEqual([["class 0", [0, 1], [0, 0]], ["class 1", [0, 1], [1, 1]]]);
  });

  test("classNames names the legend entries; unnamed labels keep `class k`", () => {
    const fig = plot.scatter({ points, labels: [0, 1, 2, 2] }, { classNames: { 0: "correct", 1: EVIL } });
    expect(traces(fig).map((t) => t.name)).toEqual(["correct", escapeText(EVIL), "class 2"]);
  });

  test("the boundary is evaluated once on a grid around the points and drawn at the threshold", () => {
    const calls: number[][][] = [];
    const fig = plot.scatter({ points: tensor(points), labels: tensor(labels) }, {
      resolution: 5,
      threshold: 0.25,
      boundary: (grid) => { calls.push(grid); return grid.map(([, y]) => y); },
    });
    expect(calls).toHaveLength(1);
    expect(calls[0]).toHaveLength(25);
    expect(calls[0][0][0]).toBeCloseTo(-0.1, 12);
    expect(calls[0][24][1]).toBeCloseTo(1.1, 12);
    const [shade, line] = traces(fig);
    expect(shade.zmid).toBe(0.25);
    expect(line.contours).toMatchObject({ start: 0.25, end: 0.25, coloring: "lines" });
    expect(shade.z?.[4][0]).toBeCloseTo(1.1, 12); // row i holds the i-th y value
  });

  test("scatter reports bad shapes", () => {
    expect(() => plot.scatter({ points: [[1, 2, 3]] })).toThrow("plot.scatter: points must be N x 2");
    expect(() => plot.scatter({ points, labels: [1] }))
      .toThrow("plot.scatter: labels has 1 values but there are 4 points");
    expect(() => plot.scatter({ points }, { boundary: () => [1] }))
      .toThrow("boundary(grid) must return one number per grid point (3600), got 1");
  });
});
