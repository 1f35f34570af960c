/**
 * A uniform grid over the plane, so that finding the stations within some range of a transmitter costs
 * the stations near it, not every station: the air asks it once per packet.
 *
 * Items sit in square cells of `cellSizeM`. A query visits the cells that overlap the square around the
 * circle, clipped to the rectangle of cells that ever held an item; when that is still more cells than
 * are occupied (a range much larger than the cells), it visits the occupied cells instead. Each item in
 * a visited cell is then tested against the circle with the same arithmetic a search of every item would
 * use (`withinRange`), so the grid returns exactly that search's items, in cell order, by their indices.
 *
 * Each cell keeps only its items' coordinates and indices, copied at insertion, in arrays of plain
 * numbers that V8 stores unboxed and side by side, and a query never touches an item: an item's
 * coordinate fields each point to a number of its own elsewhere in the heap, and with thousands of items
 * in range, fetching them was most of a query's time. So an item must be removed before its
 * coordinates change, and inserted again after.
 * No Node APIs.
 */

export interface Located {
  readonly xM: number;
  readonly yM: number;
}

/** An item with a number of its own, a non-negative integer (a station's index). */
export interface Indexed extends Located {
  readonly index: number;
}

/** Cell coordinates must stay within ±2^25 so that the packed key stays exact. */
const CELL_LIMIT = 2 ** 25;
const KEY_STRIDE = 2 ** 26;

/** True if `item` is within `rangeM` of (xM, yM) on the plane. */
export function withinRange(item: Located, xM: number, yM: number, rangeM: number): boolean {
  const dx = item.xM - xM;
  const dy = item.yM - yM;
  return dx * dx + dy * dy <= rangeM * rangeM;
}

/** The items in one cell: their indices, and their coordinates at insertion (same positions). */
interface Cell {
  readonly indices: number[];
  readonly xs: number[];
  readonly ys: number[];
}

export class SpatialGrid {
  private readonly cells = new Map<number, Cell>();
  private minCx = Infinity;
  private maxCx = -Infinity;
  private minCy = Infinity;
  private maxCy = -Infinity;
  private count = 0;

  constructor(readonly cellSizeM: number) {
    if (!(cellSizeM > 0) || !Number.isFinite(cellSizeM)) throw new RangeError(`cell size ${cellSizeM} m is not positive`);
  }

  get size(): number {
    return this.count;
  }

  insert(item: Indexed): void {
    const cx = this.cell(item.xM);
    const cy = this.cell(item.yM);
    const key = packKey(cx, cy);
    let cell = this.cells.get(key);
    if (cell === undefined) {
      cell = { indices: [], xs: [], ys: [] };
      this.cells.set(key, cell);
    }
    cell.indices.push(item.index);
    cell.xs.push(item.xM);
    cell.ys.push(item.yM);
    this.count++;
    if (cx < this.minCx) this.minCx = cx;
    if (cx > this.maxCx) this.maxCx = cx;
    if (cy < this.minCy) this.minCy = cy;
    if (cy > this.maxCy) this.maxCy = cy;
  }

  /** Removes `item`, which must be where it was inserted; false if it is not in the grid. */
  remove(item: Indexed): boolean {
    const key = packKey(this.cell(item.xM), this.cell(item.yM));
    const cell = this.cells.get(key);
    const at = cell ? cell.indices.indexOf(item.index) : -1;
    if (!cell || at < 0) return false;
    cell.indices.splice(at, 1);
    cell.xs.splice(at, 1);
    cell.ys.splice(at, 1);
    if (cell.indices.length === 0) this.cells.delete(key);
    this.count--;
    return true;
  }

  /** Appends to `out` the index of every item within `rangeM` of (xM, yM), and returns `out`. */
  withinIndices(xM: number, yM: number, rangeM: number, out: number[]): number[] {
    for (const cell of this.cellsNear(xM, yM, rangeM)) collect(cell, xM, yM, rangeM, out);
    return out;
  }

  /** The cells a query of `rangeM` around (xM, yM) must test, in the order it tests them. */
  private cellsNear(xM: number, yM: number, rangeM: number): Cell[] {
    const near: Cell[] = [];
    if (this.count === 0 || !(rangeM >= 0)) return near;
    // The circle test rounds; a nanometre-scale pad keeps an item it accepts inside the visited cells.
    const reach = rangeM + (Math.abs(xM) + Math.abs(yM) + rangeM) * 1e-9 + 1e-9;
    const cx0 = Math.max(this.minCx, this.cell(xM - reach, true));
    const cx1 = Math.min(this.maxCx, this.cell(xM + reach, true));
    const cy0 = Math.max(this.minCy, this.cell(yM - reach, true));
    const cy1 = Math.min(this.maxCy, this.cell(yM + reach, true));
    if (cx0 > cx1 || cy0 > cy1) return near;
    if ((cx1 - cx0 + 1) * (cy1 - cy0 + 1) > this.cells.size) {
      for (const [key, cell] of this.cells) {
        const cx = Math.floor(key / KEY_STRIDE) - CELL_LIMIT;
        const cy = (key % KEY_STRIDE) - CELL_LIMIT;
        if (cx >= cx0 && cx <= cx1 && cy >= cy0 && cy <= cy1) near.push(cell);
      }
      return near;
    }
    for (let cx = cx0; cx <= cx1; cx++) {
      for (let cy = cy0; cy <= cy1; cy++) {
        const cell = this.cells.get(packKey(cx, cy));
        if (cell) near.push(cell);
      }
    }
    return near;
  }

  /** The cell index of a coordinate; `clampOnly` saturates instead of refusing coordinates off the grid. */
  private cell(coordinateM: number, clampOnly = false): number {
    const c = Math.floor(coordinateM / this.cellSizeM);
    if (c >= -CELL_LIMIT && c < CELL_LIMIT) return c;
    if (clampOnly) return c < 0 ? -CELL_LIMIT : CELL_LIMIT - 1;
    throw new RangeError(`coordinate ${coordinateM} m is off the grid (cells of ${this.cellSizeM} m, ±2^25 of them)`);
  }
}

function packKey(cx: number, cy: number): number {
  return (cx + CELL_LIMIT) * KEY_STRIDE + (cy + CELL_LIMIT);
}

/** Appends the index of each of the cell's items within `rangeM` of (xM, yM): `withinRange`'s arithmetic, on the kept coordinates. */
function collect(cell: Cell, xM: number, yM: number, rangeM: number, out: number[]): void {
  const { indices, xs, ys } = cell;
  const rangeSquared = rangeM * rangeM;
  for (let i = 0; i < indices.length; i++) {
    const dx = xs[i] - xM;
    const dy = ys[i] - yM;
    if (dx * dx + dy * dy <= rangeSquared) out.push(indices[i]);
  }
}
