// Starts GraphiQL against this server's /graphql. It lives in its own file
// because the page's Content-Security-Policy allows no inline script.
"use strict";
(function () {
  const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", location.href).toString() });
  ReactDOM.createRoot(document.getElementById("graphiql")).render(
    React.createElement(GraphiQL, { fetcher: fetcher, defaultEditorToolsVisibility: true }),
  );
})();
