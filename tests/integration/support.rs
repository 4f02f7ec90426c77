//! Small helpers shared by the integration tests.

use kintsugi_tests::TestApp;
use poem::test::TestResponse;
use serde_json::Value;

/// Reads a response body as JSON.
pub async fn json(response: TestResponse) -> anyhow::Result<Value> {
    let text = response.0.into_body().into_string().await?;
    Ok(serde_json::from_str(&text)?)
}

/// Reads a response body as text.
pub async fn text(response: TestResponse) -> anyhow::Result<String> {
    Ok(response.0.into_body().into_string().await?)
}

/// Logs a report through the API and returns `(ref, receipt)`.
pub async fn submit(app: &TestApp, title: &str) -> anyhow::Result<(String, String)> {
    let response = post_json(app, "/api/v1/reports", &kintsugi_tests::new_report(title)).await;
    response.assert_status(poem::http::StatusCode::CREATED);
    let body = json(response).await?;
    let field = |name: &str| {
        body[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| anyhow::anyhow!("no {name} in {body}"))
    };
    Ok((field("ref")?, field("receipt")?))
}

/// Imports JSON Lines through the real import service.
pub async fn import(
    app: &TestApp,
    jsonl: &str,
    publish: bool,
) -> anyhow::Result<kintsugi::services::import::ImportSummary> {
    Ok(kintsugi::services::import::import_jsonl(
        &app.state.db,
        std::io::Cursor::new(jsonl.to_owned()),
        publish,
        &|_| {},
    )
    .await?)
}

/// One published report, imported, and its ref.
pub async fn published(app: &TestApp, line: &Value) -> anyhow::Result<String> {
    let summary = import(app, &format!("{line}\n"), true).await?;
    anyhow::ensure!(
        summary.errors.is_empty(),
        "import failed: {:?}",
        summary.errors
    );
    let rows = sea_orm::ConnectionTrait::query_all_raw(
        &app.state.db,
        sea_orm::Statement::from_string(
            app.state.db.get_database_backend(),
            format!(
                "SELECT id FROM reports WHERE title = '{}'",
                line["title"]
                    .as_str()
                    .unwrap_or_default()
                    .replace('\'', "''")
            ),
        ),
    )
    .await?;
    let row = rows
        .first()
        .ok_or_else(|| anyhow::anyhow!("imported report not found"))?;
    Ok(row.try_get::<String>("", "id")?)
}

/// Posts a JSON body to `path`.
pub async fn post_json(app: &TestApp, path: &str, body: &Value) -> TestResponse {
    app.client.post(path).body_json(body).send().await
}

/// Brings the search index up to date with the database, as the background indexer would.
pub async fn indexed(app: &TestApp) -> anyhow::Result<()> {
    kintsugi::indexing::catch_up(&app.state.db, &app.state.index, &|_| {}).await?;
    Ok(())
}

/// The refs of a search through the API, in order.
pub async fn search_refs(app: &TestApp, query: &str) -> anyhow::Result<Vec<String>> {
    let response = app
        .client
        .get(format!("/api/v1/search?{query}"))
        .send()
        .await;
    response.assert_status_is_ok();
    let body = json(response).await?;
    Ok(body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| h["ref"].as_str().map(str::to_owned))
        .collect())
}

/// A client of the same app whose requests arrive from `address`, as they would over a real
/// socket: for what depends on the peer address (limits per address, the metrics allow-list).
pub fn client_from(
    app: &TestApp,
    address: std::net::IpAddr,
) -> poem::test::TestClient<poem::endpoint::BoxEndpoint<'static, poem::Response>> {
    use poem::EndpointExt;
    let endpoint = kintsugi::routes::endpoint(app.state.clone())
        .before(move |req| async move { Ok(from_address(req, address)) })
        .map_to_response()
        .boxed();
    poem::test::TestClient::new(endpoint)
}

fn from_address(req: poem::Request, address: std::net::IpAddr) -> poem::Request {
    use poem::{
        Addr, RequestParts,
        http::{self, uri::Scheme},
        web::{LocalAddr, RemoteAddr},
    };
    let (parts, body) = req.into_parts();
    let mut head = http::Request::new(());
    *head.method_mut() = parts.method;
    *head.uri_mut() = parts.uri;
    *head.version_mut() = parts.version;
    *head.headers_mut() = parts.headers;
    *head.extensions_mut() = parts.extensions;
    let (head, ()) = head.into_parts();
    let peer = RemoteAddr(Addr::SocketAddr(std::net::SocketAddr::new(address, 50_000)));
    let parts = RequestParts::from((head, LocalAddr::default(), peer, Scheme::HTTP));
    poem::Request::from_parts(parts, body)
}

/// The log lines of this test alone: a subscriber for the test's own thread, where its
/// requests are handled, while the guard lives. Unlike the global capture, nothing another
/// test does at the same time shows up in it.
pub fn logs_of_this_test() -> (
    kintsugi_tests::CapturedLogs,
    tracing::subscriber::DefaultGuard,
) {
    let logs = kintsugi_tests::CapturedLogs::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_env_filter(kintsugi::telemetry::filter("info"))
        .with_ansi(false)
        .with_writer(move || sink.clone())
        .finish();
    (logs, tracing::subscriber::set_default(subscriber))
}

/// The rows a plain SQL statement returns, on whichever database the app runs.
pub async fn rows(app: &TestApp, sql: &str) -> anyhow::Result<Vec<sea_orm::QueryResult>> {
    let db = &app.state.db;
    Ok(sea_orm::ConnectionTrait::query_all_raw(
        db,
        sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned()),
    )
    .await?)
}

/// The single number a `SELECT COUNT(*)` (or any one-number query) returns; 0 for NULL.
pub async fn number(app: &TestApp, sql: &str) -> anyhow::Result<i64> {
    let row = rows(app, sql)
        .await?
        .into_iter()
        .next()
        .ok_or_else(|| anyhow::anyhow!("no row for {sql}"))?;
    Ok(row.try_get_by_index::<Option<i64>>(0)?.unwrap_or(0))
}
