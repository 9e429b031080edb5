// PostGraphile v5 and its grafast engine ask for Node 22 and call
// Promise.withResolvers, which Node 22 brought; on Node 20 every query
// then fails inside the engine ("Cannot read properties of undefined
// (reading 'items')"). The bench preloads this on Node older than 22 so
// that the peer runs on the machines it finds; it is what the standard
// method does, nothing more.
if (typeof Promise.withResolvers !== "function") {
  Object.defineProperty(Promise, "withResolvers", {
    configurable: true,
    writable: true,
    value: function withResolvers() {
      let resolve, reject;
      const promise = new this((res, rej) => {
        resolve = res;
        reject = rej;
      });
      return { promise, resolve, reject };
    },
  });
}
