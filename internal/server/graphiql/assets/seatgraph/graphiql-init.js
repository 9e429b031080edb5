// Bootstrap of seatgraph's GraphiQL page (served by server/graphiql). It is a
// file of its own, not an inline script, so that the page's
// Content-Security-Policy can say script-src 'self'. It expects the globals
// of the vendored UMD builds loaded before it: React, ReactDOM, GraphiQL and
// graphqlWs.
(function () {
  'use strict';

  // GraphiQL inserts one <style> element of its own (the scroll lock of its
  // dialogs) and gives it the nonce it finds in this global. The page's CSP
  // allows inline style elements only with the nonce of this response, which
  // the server put on this script's tag.
  var nonce = document.currentScript && document.currentScript.nonce;
  if (nonce) {
    window.__webpack_nonce__ = nonce;
  }

  var root = document.getElementById('graphiql');
  // The endpoint comes from the page (data-endpoint), resolved against it:
  // same origin unless the server was told otherwise.
  var httpURL = new URL(root.getAttribute('data-endpoint') || '/graphql', window.location.href);
  var wsURL = new URL(httpURL.href);
  wsURL.protocol = httpURL.protocol === 'https:' ? 'wss:' : 'ws:';

  // Browsers cannot set headers on a WebSocket, so for subscriptions
  // (graphql-transport-ws) the Headers tab's credentials go in the
  // connection_init payload instead, where the server reads them.
  var WS_PARAMS = ['Authorization', 'X-Tenant-Id'];

  function connectionParams(headers) {
    var params = {};
    if (!headers || typeof headers !== 'object') {
      return params;
    }
    Object.keys(headers).forEach(function (name) {
      WS_PARAMS.forEach(function (want) {
        if (name.toLowerCase() === want.toLowerCase() && headers[name] != null) {
          params[want] = String(headers[name]);
        }
      });
    });
    return params;
  }

  // Queries and mutations go over HTTP with GraphiQL's own fetcher, which
  // sends the Headers tab (GraphiQL passes it, parsed, as opts.headers).
  var httpFetcher = GraphiQL.createFetcher({ url: httpURL.href });

  // Subscriptions go to a graphql-ws client. A websocket is authenticated
  // once, at connection_init, so there is one client per set of connection
  // params: new credentials in the Headers tab get a new socket. The clients
  // are lazy: a socket opens for the first subscription and closes when the
  // last one ends, so clients for old credentials hold no connection.
  var wsClients = {};

  function wsClientFor(headers) {
    var params = connectionParams(headers);
    var key = JSON.stringify(params);
    if (!wsClients[key]) {
      wsClients[key] = graphqlWs.createClient({
        url: wsURL.href,
        connectionParams: params,
        lazy: true,
        retryAttempts: 0,
      });
    }
    return wsClients[key];
  }

  // isSubscription tells whether the operation to run (by name, or the only
  // one of the document) is a subscription. Operations are top-level
  // definitions, so no AST walk is needed.
  function isSubscription(doc, operationName) {
    if (!doc || !doc.definitions) {
      return false;
    }
    var ops = doc.definitions.filter(function (d) {
      return d.kind === 'OperationDefinition';
    });
    var op = operationName
      ? ops.filter(function (d) { return d.name && d.name.value === operationName; })[0]
      : ops.length === 1 ? ops[0] : undefined;
    return Boolean(op && op.operation === 'subscription');
  }

  // A subscription is handed to GraphiQL as an observable rather than
  // through createFetcher's wsClient option, whose async iterator leaves an
  // unhandled promise rejection behind when the server answers with an
  // error.
  function subscribe(graphQLParams, headers) {
    return {
      subscribe: function (observer) {
        var dispose = wsClientFor(headers).subscribe(graphQLParams, {
          next: function (value) { observer.next(value); },
          complete: function () { observer.complete(); },
          error: function (err) {
            if (typeof CloseEvent !== 'undefined' && err instanceof CloseEvent) {
              err = new Error(('Socket closed with event ' + err.code + ' ' + (err.reason || '')).trim());
            } else if (typeof Event !== 'undefined' && err instanceof Event) {
              err = new Error('Could not connect to ' + wsURL.href);
            }
            observer.error(err); // a GraphQL error list is shown as it is
          },
        });
        return { unsubscribe: dispose };
      },
    };
  }

  function fetcher(graphQLParams, opts) {
    opts = opts || {};
    if (isSubscription(opts.documentAST, graphQLParams.operationName)) {
      return subscribe(graphQLParams, opts.headers);
    }
    return httpFetcher(graphQLParams, opts);
  }

  var defaultQuery = [
    '# Welcome to seatgraph.',
    '#',
    '# Most operations need an API key: open',
    '# the "Headers" tab below and put it there:',
    '#',
    '#   {"Authorization": "Bearer sgk_..."}',
    '#',
    '# ("X-Tenant-Id" acts in another tenant.)',
    '# Headers are kept in this browser.',
    '# Run with Ctrl-Enter or the \u25B6 button.',
    '',
    '{ events(first: 5) { nodes { title startsAt availableSeats } } }',
    '',
  ].join('\n');

  ReactDOM.createRoot(root).render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: defaultQuery,
      isHeadersEditorEnabled: true,
      shouldPersistHeaders: true,
      defaultEditorToolsVisibility: 'headers',
    })
  );
})();
