// Frames between code on the XS host and the Node parent that owns its TCP sockets (the "bridge").
// Each channel frame is [type u8][connection u8][payload]. One connection is open at a time; the
// connection number tells a late frame of a closed connection from one of the current connection.

/** XS -> Node: open a TCP connection; payload is "host:port" in ASCII. */
export const FRAME_OPEN = 1;
/** Both ways: bytes of the connection. */
export const FRAME_DATA = 2;
/** XS -> Node: close the connection. Node -> XS: the connection closed; payload: error text, empty if orderly. */
export const FRAME_CLOSE = 3;
/** Node -> XS: the connection is open. */
export const FRAME_OPENED = 4;
/** Node -> XS: the socket took this many more bytes (u32 big-endian): they leave the in-flight window. */
export const FRAME_WRITTEN = 5;

export const FRAME_HEADER = 2;
/** Largest frame either side sends; the XS side's receive buffer holds one. */
export const MAX_FRAME = 2048;
