// A binary min-heap of (key, id) pairs in growable typed arrays: the event queues of the simulator.

/** Min-heap on a float key with an integer payload; ties pop in insertion order (stable). */
export class MinHeap {
  private keys = new Float64Array(64);
  private ids = new Int32Array(64);
  private order = new Float64Array(64);
  private serial = 0;
  size = 0;

  push(key: number, id: number): void {
    if (this.size === this.keys.length) this.grow();
    let i = this.size;
    this.size += 1;
    const seq = this.serial;
    this.serial += 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = this.keys[parent]!;
      if (pk < key || (pk === key && this.order[parent]! < seq)) break;
      this.keys[i] = pk;
      this.ids[i] = this.ids[parent]!;
      this.order[i] = this.order[parent]!;
      i = parent;
    }
    this.keys[i] = key;
    this.ids[i] = id;
    this.order[i] = seq;
  }

  /** Smallest key; Infinity when empty. */
  peekKey(): number {
    return this.size === 0 ? Number.POSITIVE_INFINITY : this.keys[0]!;
  }

  /** Removes the smallest entry and returns its id (-1 when empty). */
  pop(): number {
    if (this.size === 0) return -1;
    const top = this.ids[0]!;
    this.size -= 1;
    const n = this.size;
    if (n > 0) {
      const key = this.keys[n]!;
      const id = this.ids[n]!;
      const seq = this.order[n]!;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        if (left >= n) break;
        const right = left + 1;
        let child = left;
        if (right < n && (this.keys[right]! < this.keys[left]! || (this.keys[right] === this.keys[left] && this.order[right]! < this.order[left]!))) child = right;
        const ck = this.keys[child]!;
        if (ck > key || (ck === key && this.order[child]! > seq)) break;
        this.keys[i] = ck;
        this.ids[i] = this.ids[child]!;
        this.order[i] = this.order[child]!;
        i = child;
      }
      this.keys[i] = key;
      this.ids[i] = id;
      this.order[i] = seq;
    }
    return top;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const ids = new Int32Array(this.ids.length * 2);
    ids.set(this.ids);
    const order = new Float64Array(this.order.length * 2);
    order.set(this.order);
    this.keys = keys;
    this.ids = ids;
    this.order = order;
  }
}
