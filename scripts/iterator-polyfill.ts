/**
 * Allure 3's CLI calls `Iterator.prototype.toArray` (Node 22). On Node 20 this adds it, for the
 * report generator's process only.
 */
interface IteratorProto {
  toArray?: (this: Iterator<unknown>) => unknown[];
}

const iteratorPrototype = Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())) as IteratorProto;
if (typeof iteratorPrototype.toArray !== 'function') {
  Object.defineProperty(iteratorPrototype, 'toArray', {
    configurable: true,
    writable: true,
    value: function toArray(this: Iterator<unknown>): unknown[] {
      const out: unknown[] = [];
      for (let step = this.next(); !step.done; step = this.next()) out.push(step.value);
      return out;
    },
  });
}
