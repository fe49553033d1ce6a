// The wall is a client-only display: the server sends the app shell, the browser does the rest.
export const ssr = false;
