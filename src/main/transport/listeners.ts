/** A minimal typed listener list: `add` returns its own unsubscribe, one throwing listener cannot starve the rest. */
export class Listeners<Args extends unknown[]> {
  /**
   * Replaced, never changed, on add and remove: an emit walks the list as it was when it began (a listener
   * may unsubscribe itself) without copying it, as this runs for every chunk and every sample.
   */
  private list: ReadonlyArray<(...args: Args) => void> = [];

  constructor(private readonly onListenerError: (err: unknown) => void = () => undefined) {}

  add(listener: (...args: Args) => void): () => void {
    if (!this.list.includes(listener)) this.list = [...this.list, listener];
    return () => {
      this.list = this.list.filter((l) => l !== listener);
    };
  }

  emit(...args: Args): void {
    const list = this.list;
    for (let i = 0; i < list.length; i++) {
      try {
        (list[i] as (...args: Args) => void)(...args);
      } catch (err) {
        this.onListenerError(err);
      }
    }
  }

  get size(): number {
    return this.list.length;
  }

  clear(): void {
    this.list = [];
  }
}
