// Base64 text to bytes, for the web entries' embedded .wasm: the native decoder where the
// runtime has one (Uint8Array.fromBase64), else atob.

/** @param {string} text standard base64 */
export function base64ToBytes(text) {
  if (typeof Uint8Array.fromBase64 === "function") return Uint8Array.fromBase64(text);
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
