import { describe, expect, it, vi } from "vitest";

import { memoryStore, Outbox, RetryLater, type OutboxEntry } from "../outbox";

interface Report {
  description: string;
}

/** An outbox over memory whose network state and server the test controls. */
function setUp(server: (entry: OutboxEntry<Report>) => Promise<void> = async () => undefined) {
  const network = { online: false };
  const sent: OutboxEntry<Report>[] = [];
  let serial = 0;
  const outbox = new Outbox<Report>(
    memoryStore<Report>(),
    async (entry) => {
      sent.push(entry);
      await server(entry);
    },
    () => network.online,
    () => `key-${++serial}`,
  );
  return { outbox, network, sent };
}

describe("the offline outbox", () => {
  it("keeps a report made offline without sending it", async () => {
    const { outbox, sent } = setUp();

    await outbox.add("hazard", { description: "配电箱无防护" });
    await outbox.flush();

    expect(sent).toHaveLength(0);
    expect((await outbox.entries()).map((e) => e.payload.description)).toEqual(["配电箱无防护"]);
  });

  it("sends it once when the network returns, and forgets it", async () => {
    const { outbox, network, sent } = setUp();
    const window = new EventTarget();
    outbox.watch(window);
    await outbox.add("hazard", { description: "消防通道堵塞" });

    network.online = true;
    window.dispatchEvent(new Event("online"));
    await outbox.flush();
    await outbox.flush();

    expect(sent.map((e) => e.key)).toEqual(["key-1"]);
    expect(await outbox.entries()).toEqual([]);
  });

  it("reuses the same Idempotency-Key when a send is retried", async () => {
    let failures = 2;
    const { outbox, network, sent } = setUp(async () => {
      if (failures-- > 0) throw new TypeError("Failed to fetch");
    });
    network.online = true;

    await outbox.add("hazard", { description: "安全出口上锁" });
    await outbox.flush();
    await outbox.flush();
    await outbox.flush();

    expect(sent.map((e) => e.key)).toEqual(["key-1", "key-1", "key-1"]);
    expect(sent.map((e) => e.attempts)).toEqual([1, 2, 3]);
    expect(await outbox.entries()).toEqual([]);
  });

  it("does not send an entry twice while a send is under way", async () => {
    let answer: () => void = () => undefined;
    const { outbox, network, sent } = setUp(() => new Promise<void>((resolve) => (answer = resolve)));
    await outbox.add("hazard", { description: "气瓶未固定" });
    network.online = true;

    const first = outbox.flush();
    const second = outbox.flush();
    await vi.waitFor(() => expect(sent).toHaveLength(1));
    answer();
    await Promise.all([first, second]);
    await outbox.flush();

    expect(sent).toHaveLength(1);
    expect(await outbox.entries()).toEqual([]);
  });

  it("waits on a busy server and keeps the queue in order", async () => {
    const { outbox, network, sent } = setUp(async (entry) => {
      if (entry.attempts === 1) throw new RetryLater("503");
    });
    await outbox.add("hazard", { description: "第一条" });
    await outbox.add("hazard", { description: "第二条" });
    network.online = true;

    await outbox.flush();
    expect(sent.map((e) => e.payload.description)).toEqual(["第一条"]);

    await outbox.flush();
    await outbox.flush();
    expect(sent.map((e) => `${e.payload.description}#${e.attempts}`)).toEqual([
      "第一条#1",
      "第一条#2",
      "第二条#1",
      "第二条#2",
    ]);
    expect(await outbox.entries()).toEqual([]);
  });

  it("keeps a refused entry with the reason, does not send it again, and drops it when asked", async () => {
    const { outbox, network, sent } = setUp(async () => {
      throw new Error("企业不在您的辖区内");
    });
    network.online = true;

    await outbox.add("hazard", { description: "无效企业" });
    await outbox.flush();
    await outbox.flush();

    expect(sent).toHaveLength(1);
    expect((await outbox.entries()).map((e) => e.failed)).toEqual(["企业不在您的辖区内"]);

    await outbox.discard("key-1");
    expect(await outbox.entries()).toEqual([]);
  });

  it("tells its listeners when the queue changes", async () => {
    const { outbox, network } = setUp();
    const seen: number[] = [];
    outbox.listen((entries) => seen.push(entries.length));

    await outbox.add("hazard", { description: "临时用电" });
    network.online = true;
    await outbox.flush();

    expect(seen.at(-1)).toBe(0);
    expect(seen).toContain(1);
  });
});
