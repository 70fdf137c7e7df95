//! Serving on several threads that each run a scheduler and a database pool of their own
//! (`CUSTODIA_SERVE_THREADS`), instead of one scheduler whose threads hand tasks to each other.
//! One thread accepts connections and deals them out in turn; a connection then lives on its
//! thread, and so do the database connections its pages read on. Background jobs stay on the
//! main scheduler with the main pool. The trade: no thread can take over another's waiting
//! work, so this suits many small requests; anything long already runs elsewhere (Argon2id on
//! threads of its own, exports and erasures in the jobs).

use std::net::SocketAddr;

use axum::Router;
use axum::serve::ListenerExt;
use domain::Portal;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, watch};

type Accepted = (std::net::TcpStream, SocketAddr);

/// The connections dealt to one serving thread, as axum's listener.
struct Dealt {
    incoming: mpsc::UnboundedReceiver<Accepted>,
    local: SocketAddr,
}

impl axum::serve::Listener for Dealt {
    type Io = TcpStream;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (TcpStream, SocketAddr) {
        loop {
            match self.incoming.recv().await {
                // Registered with this thread's scheduler from here on.
                Some((stream, peer)) => match TcpStream::from_std(stream) {
                    Ok(stream) => return (stream, peer),
                    Err(e) => tracing::warn!(error = %e, "a connection could not be taken over"),
                },
                // The dealer has stopped: shutdown is under way and ends this listener's server.
                None => std::future::pending::<()>().await,
            }
        }
    }

    fn local_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.local)
    }
}

/// Serves `listener` on `threads` threads until `shutdown` completes, each with a router that
/// `router` builds for its own portal (the same portal over a pool of its own; the main pool's
/// size divided among them, at least one each), then waits for them to finish their connections.
pub async fn serve<R>(listener: TcpListener, threads: usize, portal: Portal, router: R, shutdown: impl Future<Output = ()>) -> std::io::Result<()>
where
    R: Fn(Portal) -> Router + Send + Sync + Clone + 'static,
{
    let local = listener.local_addr()?;
    let per_thread = (portal.store.max_connections() / threads as u32).max(1);
    let (stop, stopped) = watch::channel(false);
    let mut dealers = Vec::with_capacity(threads);
    let mut joins = Vec::with_capacity(threads);
    for n in 0..threads {
        let (deal, incoming) = mpsc::unbounded_channel();
        dealers.push(deal);
        let (portal, router, mut stopped) = (portal.clone(), router.clone(), stopped.clone());
        // Built here, so a thread that cannot start fails the start instead of losing the
        // connections dealt to it.
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        let thread = std::thread::Builder::new().name(format!("serve-{n}")).spawn(move || -> std::io::Result<()> {
            runtime.block_on(async move {
                let store = portal.store.sibling(per_thread);
                let portal = portal.with_store(store);
                let service = router(portal.clone()).into_make_service_with_connect_info::<SocketAddr>();
                // `tap_io` only so axum hands the peer's address to the routes (ConnectInfo).
                let listener = Dealt { incoming, local }.tap_io(|_| {});
                let served = axum::serve(listener, service)
                    .with_graceful_shutdown(async move {
                        let _ = stopped.wait_for(|stop| *stop).await;
                    })
                    .await;
                portal.store.close_sibling().await;
                served
            })
        })?;
        joins.push(thread);
    }

    let mut shutdown = std::pin::pin!(shutdown);
    let mut turn = 0;
    loop {
        let accepted = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => accepted,
        };
        match accepted.and_then(|(stream, peer)| Ok((stream.into_std()?, peer))) {
            Ok(accepted) => {
                // A thread whose server ended (it cannot, short of a panic) loses the connection,
                // which the client sees as closed.
                let _ = dealers[turn].send(accepted);
                turn = (turn + 1) % threads;
            }
            Err(e) => {
                tracing::warn!(error = %e, "accepting a connection failed");
                // As axum does: out of file descriptors and the like clear up given a moment.
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
    let _ = stop.send(true);
    drop(dealers);
    let mut result = Ok(());
    for thread in joins {
        let ended = tokio::task::spawn_blocking(move || thread.join()).await;
        match ended {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(e))) => result = Err(e),
            _ => result = Err(std::io::Error::other("a serving thread panicked")),
        }
    }
    result
}
