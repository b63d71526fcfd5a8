// gaveld's jemalloc settings, read by jemalloc at start (linked only when
// gaveld is built with jemalloc: GAVEL_JEMALLOC, the default).
//
// The server's big allocations are transient (a projection checkpoint's
// serialized snapshot, a batch's records, a catch-up's decoded events): a
// background thread hands freed pages back to the kernel within about a
// second, rather than the default ten, and without keeping them "muzzy".
// Measured with a 300,000-event log (docs/performance.md): RSS 380 -> 350 MB.
extern "C" {
// NOLINTNEXTLINE: the name jemalloc looks up.
const char* malloc_conf =
    "background_thread:true,dirty_decay_ms:1000,muzzy_decay_ms:0";
}
