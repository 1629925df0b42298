/**
 * The offline outbox: work made on the phone is kept on the device until the server has it.
 *
 * Each entry gets its Idempotency-Key when it is queued and keeps it for every attempt, so a retry after a
 * lost answer replays the first result instead of reporting the hazard twice. Only one flush runs at a time.
 */

export interface OutboxEntry<T> {
  /** The Idempotency-Key of this piece of work, fixed when it was queued. */
  key: string;
  kind: string;
  payload: T;
  createdAt: string;
  attempts: number;
  /** Why the server refused it for good (a retry would not help); the entry stays for the user to see. */
  failed?: string;
}

/** Where entries live between page loads. */
export interface OutboxStore<T> {
  all(): Promise<OutboxEntry<T>[]>;
  put(entry: OutboxEntry<T>): Promise<void>;
  remove(key: string): Promise<void>;
}

/** Thrown by a sender when the attempt may succeed later (no network, server busy or unavailable). */
export class RetryLater extends Error {
  constructor(message = "稍后重试") {
    super(message);
    this.name = "RetryLater";
  }
}

/** Sends one entry; resolves when the server has it, throws RetryLater or a refusal. */
export type Sender<T> = (entry: OutboxEntry<T>) => Promise<void>;

export type Listener<T> = (entries: OutboxEntry<T>[]) => void;

function isTransient(error: unknown): boolean {
  // fetch rejects with a TypeError when there is no network at all.
  return error instanceof RetryLater || error instanceof TypeError;
}

export class Outbox<T> {
  private running: Promise<void> | null = null;
  private again = false;
  private readonly listeners = new Set<Listener<T>>();

  constructor(
    private readonly store: OutboxStore<T>,
    private readonly send: Sender<T>,
    private readonly isOnline: () => boolean = () => navigator.onLine,
    private readonly newKey: () => string = () => crypto.randomUUID(),
  ) {}

  /** Queue a piece of work under a new Idempotency-Key and try to send it now. */
  async add(kind: string, payload: T): Promise<OutboxEntry<T>> {
    const entry: OutboxEntry<T> = {
      key: this.newKey(),
      kind,
      payload,
      createdAt: new Date().toISOString(),
      attempts: 0,
    };
    await this.store.put(entry);
    await this.notify();
    void this.flush();
    return entry;
  }

  /** Entries not yet accepted by the server, oldest first. */
  async entries(): Promise<OutboxEntry<T>[]> {
    const all = await this.store.all();
    return all.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Send what is queued; a call while a flush runs makes that flush look again instead of sending twice. */
  flush(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.drain().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Drop an entry the server refused, once the user has read why. */
  async discard(key: string): Promise<void> {
    await this.store.remove(key);
    await this.notify();
  }

  /** Be told whenever the queue changes. Returns the function that stops it. */
  listen(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    void this.entries().then(listener);
    return () => this.listeners.delete(listener);
  }

  /** Flush whenever the browser says the network is back. Returns the function that stops it. */
  watch(target: Pick<Window, "addEventListener" | "removeEventListener"> = window): () => void {
    const onOnline = (): void => void this.flush();
    target.addEventListener("online", onOnline);
    return () => target.removeEventListener("online", onOnline);
  }

  private async drain(): Promise<void> {
    do {
      this.again = false;
      if (!this.isOnline()) return;
      for (const entry of await this.entries()) {
        if (entry.failed) continue;
        if (!(await this.attempt(entry))) return;
      }
    } while (this.again);
  }

  /** One attempt at one entry; false when the network is gone and the rest should wait too. */
  private async attempt(entry: OutboxEntry<T>): Promise<boolean> {
    const tried = { ...entry, attempts: entry.attempts + 1 };
    try {
      await this.send(tried);
      await this.store.remove(entry.key);
      return true;
    } catch (error) {
      if (isTransient(error)) {
        await this.store.put(tried);
        return false;
      }
      await this.store.put({ ...tried, failed: error instanceof Error ? error.message : String(error) });
      return true;
    } finally {
      await this.notify();
    }
  }

  private async notify(): Promise<void> {
    if (this.listeners.size === 0) return;
    const entries = await this.entries();
    for (const listener of this.listeners) listener(entries);
  }
}

/** An in-memory store (tests, and browsers without IndexedDB). */
export function memoryStore<T>(): OutboxStore<T> {
  const entries = new Map<string, OutboxEntry<T>>();
  return {
    all: async () => [...entries.values()],
    put: async (entry) => {
      entries.set(entry.key, entry);
    },
    remove: async (key) => {
      entries.delete(key);
    },
  };
}

function request<R>(req: IDBRequest<R>): Promise<R> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });
}

/** An IndexedDB store: it keeps photos (Blobs) as they are, across reloads and while offline. */
export function indexedDbStore<T>(database: string, objectStore = "outbox"): OutboxStore<T> {
  let opened: Promise<IDBDatabase> | null = null;
  const db = (): Promise<IDBDatabase> => {
    opened ??= new Promise((resolve, reject) => {
      const open = indexedDB.open(database, 1);
      open.onupgradeneeded = () => open.result.createObjectStore(objectStore, { keyPath: "key" });
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    return opened;
  };
  const run = async <R>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<R>): Promise<R> =>
    request(body((await db()).transaction(objectStore, mode).objectStore(objectStore)));
  return {
    all: () => run("readonly", (store) => store.getAll() as IDBRequest<OutboxEntry<T>[]>),
    put: async (entry) => {
      await run("readwrite", (store) => store.put(entry));
    },
    remove: async (key) => {
      await run("readwrite", (store) => store.delete(key));
    },
  };
}
