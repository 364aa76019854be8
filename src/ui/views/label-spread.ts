/** A label to place: where it would like its centre, and the box it takes. */
export interface LabelBox {
  /** Wanted horizontal centre. */
  x: number;
  /** Top and bottom of its box. */
  top: number;
  bottom: number;
  width: number;
}

/**
 * Moves labels sideways so that no two boxes overlap, each as little as it
 * can: labels whose boxes share some height form a row; in a row, labels
 * that would overlap are set side by side (with `gap` between them), the
 * group centred on the mean of their wanted centres, and kept within
 * [0, `maxX`] when it fits. Returns the new centres, in the order of `labels`.
 *
 * @example
 * spreadLabels([{ x: 100, top: 0, bottom: 10, width: 60 }, { x: 120, top: 0, bottom: 10, width: 60 }], 400, 4);
 * // [78, 142]
 */
export function spreadLabels(labels: readonly LabelBox[], maxX: number, gap = 4): number[] {
  const out = labels.map((l) => l.x);
  // Rows: labels whose boxes overlap vertically, taken from the top.
  const order = labels.map((_, i) => i).sort((a, b) => labels[a]!.top - labels[b]!.top);
  const rows: number[][] = [];
  let rowBottom = -Infinity;
  for (const i of order) {
    const l = labels[i]!;
    if (rows.length > 0 && l.top < rowBottom) {
      rows[rows.length - 1]!.push(i);
      rowBottom = Math.max(rowBottom, l.bottom);
    } else {
      rows.push([i]);
      rowBottom = l.bottom;
    }
  }
  for (const row of rows) {
    // Groups of labels set side by side; each starts as one label, and neighbours that overlap merge.
    type Group = { members: number[]; width: number; left: number };
    const groups: Group[] = [];
    for (const i of [...row].sort((a, b) => labels[a]!.x - labels[b]!.x)) {
      const l = labels[i]!;
      groups.push({ members: [i], width: l.width, left: l.x - l.width / 2 });
      // Merge with the group before while they overlap.
      while (groups.length > 1) {
        const b = groups[groups.length - 1]!;
        const a = groups[groups.length - 2]!;
        if (a.left + a.width + gap <= b.left) break;
        const members = [...a.members, ...b.members];
        const width = a.width + gap + b.width;
        const wanted = members.reduce((s, m) => s + labels[m]!.x, 0) / members.length;
        groups.splice(groups.length - 2, 2, { members, width, left: wanted - width / 2 });
      }
    }
    let edge = -Infinity; // right end of the group before, plus the gap
    for (const g of groups) {
      let left = g.left;
      if (g.width <= maxX) left = Math.min(Math.max(left, 0), maxX - g.width);
      // Kept inside the drawing, a group may have moved onto the one before it: it goes after it instead.
      left = Math.max(left, edge);
      edge = left + g.width + gap;
      for (const m of g.members) {
        const w = labels[m]!.width;
        out[m] = left + w / 2;
        left += w + gap;
      }
    }
  }
  return out;
}
