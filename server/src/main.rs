use std::process::ExitCode;

// Many threads allocate and free small buffers per request (rendering, rows); mimalloc's
// per-thread heaps avoid glibc's arena locks.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    server::cli::run(std::env::args().skip(1).collect()).await
}
