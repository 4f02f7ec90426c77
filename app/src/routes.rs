//! The route table: every path of the site and the API, readable at a glance.

use std::sync::Arc;

use poem::{
    Endpoint, EndpointExt, IntoResponse, PathPattern, Request, Response, Route, RouteMethod,
    endpoint::{BoxEndpoint, EmbeddedFilesEndpoint},
    get, handler,
    http::{Method, StatusCode, header},
    middleware::CookieJarManager,
    web::{Data, Json},
};

use crate::{
    api::{self, api_errors_as_json},
    auth::{
        self,
        access::{Access, Guarded},
        csrf,
    },
    error::AppError,
    metrics,
    pages::{
        self, account, admin, digest, feeds, guidelines, home, moderation, patterns, receipts,
        reports, search, signals, suggestions, thesaurus, trends, units,
    },
    services::{self, accounts::Role},
    state::AppState,
    telemetry,
    templates::StaticAssets,
};

/// One page route and who may use it. The router is built from this table, so no page can
/// exist without an access rule, and the authorisation tests read the same table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRule {
    pub method: Method,
    pub path: &'static str,
    pub access: Access,
}

type Page = (PageRule, BoxEndpoint<'static, Response>);

fn page<E>(method: Method, path: &'static str, access: Access, endpoint: E) -> Page
where
    E: Endpoint + 'static,
{
    let rule = PageRule {
        method,
        path,
        access,
    };
    let guarded = Guarded {
        access,
        inner: endpoint.map_to_response(),
    };
    (rule, guarded.boxed())
}

/// Every page of the site with its access rule.
fn pages() -> Vec<Page> {
    use Access::{Anyone, Readers, Staff};
    use Method as M;
    let signed_in = Staff(Role::Reader);
    let moderator = Staff(Role::Moderator);
    let policy_owner = Staff(Role::PolicyOwner);
    let admin = Staff(Role::Admin);
    vec![
        page(M::GET, "/", Anyone, home::home),
        page(M::GET, "/report", Anyone, reports::new_report),
        page(M::POST, "/report", Anyone, reports::submit_report),
        page(M::GET, "/receipt", Anyone, receipts::lookup),
        page(M::POST, "/receipt", Anyone, receipts::show),
        page(M::POST, "/receipt/detail", Anyone, receipts::add_detail),
        page(M::POST, "/receipt/withdraw", Anyone, receipts::withdraw),
        page(M::POST, "/receipt/review", Anyone, receipts::review),
        page(M::GET, "/signin", Anyone, account::sign_in_form),
        page(M::POST, "/signin", Anyone, account::sign_in),
        page(M::POST, "/signout", Anyone, account::sign_out),
        page(M::GET, "/healthz", Anyone, health),
        page(M::GET, "/search", Readers, search::search_page),
        page(M::GET, "/reports/:ref", Readers, reports::show_report),
        page(M::POST, "/reports/:ref/signals", signed_in, signals::mark),
        page(
            M::POST,
            "/reports/:ref/guidelines",
            moderator,
            guidelines::lessons::link,
        ),
        page(M::GET, "/guidelines", Readers, guidelines::list),
        page(M::GET, "/guidelines/:slug", Readers, guidelines::show),
        page(
            M::GET,
            "/guidelines/:slug/history",
            Readers,
            guidelines::history,
        ),
        page(
            M::GET,
            "/guidelines/:slug/revisions/:number",
            Readers,
            guidelines::revision,
        ),
        page(
            M::GET,
            "/guidelines/:slug/diff",
            Readers,
            guidelines::compare,
        ),
        page(
            M::GET,
            "/guidelines/:slug/new-section",
            policy_owner,
            guidelines::edit::new_section,
        ),
        page(
            M::POST,
            "/guidelines/:slug/sections",
            policy_owner,
            guidelines::edit::add_section,
        ),
        page(
            M::GET,
            "/guidelines/:slug/sections/:anchor/edit",
            policy_owner,
            guidelines::edit::edit_section,
        ),
        page(
            M::POST,
            "/guidelines/:slug/sections/:anchor",
            policy_owner,
            guidelines::edit::save_section,
        ),
        page(
            M::POST,
            "/guidelines/:slug/sections/:anchor/move",
            policy_owner,
            guidelines::edit::move_section,
        ),
        page(
            M::POST,
            "/guidelines/:slug/sections/:anchor/retire",
            policy_owner,
            guidelines::edit::retire_section,
        ),
        // Policy owners and moderators: the service refuses readers, as the API does.
        page(M::GET, "/patterns", signed_in, patterns::list_patterns),
        page(M::GET, "/patterns/:id", signed_in, patterns::show_pattern),
        page(
            M::POST,
            "/patterns/:id/status",
            signed_in,
            patterns::set_status,
        ),
        page(
            M::GET,
            "/lessons/patterns/:id",
            Readers,
            patterns::reader_pattern,
        ),
        page(M::GET, "/suggestions", policy_owner, suggestions::inbox),
        page(
            M::GET,
            "/suggestions/:suggestion",
            policy_owner,
            suggestions::show,
        ),
        page(
            M::POST,
            "/suggestions/:suggestion/accept",
            policy_owner,
            suggestions::accept,
        ),
        page(
            M::POST,
            "/suggestions/:suggestion/reject",
            policy_owner,
            suggestions::reject,
        ),
        page(
            M::POST,
            "/suggestions/:suggestion/defer",
            policy_owner,
            suggestions::defer,
        ),
        // Feeds check the reading rule themselves: a feed reader brings a token, not a session.
        page(M::GET, "/feeds/lessons.atom", Anyone, feeds::lessons_feed),
        page(
            M::GET,
            "/feeds/guidelines.atom",
            Anyone,
            feeds::guidelines_feed,
        ),
        page(M::GET, "/digest", Readers, digest::current),
        page(M::GET, "/digest/:month", Readers, digest::of_month),
        // An email's unsubscribe link works without signing in, by its token alone.
        page(
            M::GET,
            "/digest/unsubscribe/:token",
            Anyone,
            digest::unsubscribe_form,
        ),
        page(
            M::POST,
            "/digest/unsubscribe/:token",
            Anyone,
            digest::unsubscribe,
        ),
        page(M::GET, "/trends", policy_owner, trends::trends_page),
        page(M::GET, "/trends.csv", policy_owner, trends::trends_csv),
        page(M::GET, "/account", signed_in, account::show),
        page(
            M::POST,
            "/account/feed-token",
            signed_in,
            account::renew_feed_token,
        ),
        page(
            M::POST,
            "/account/feed-token/revoke",
            signed_in,
            account::revoke_feed_token,
        ),
        page(
            M::POST,
            "/account/digest",
            signed_in,
            account::subscribe_digest,
        ),
        page(
            M::POST,
            "/account/digest/unsubscribe",
            signed_in,
            account::unsubscribe_digest,
        ),
        page(
            M::POST,
            "/account/password",
            signed_in,
            account::change_password,
        ),
        page(M::POST, "/account/tokens", signed_in, account::create_token),
        page(
            M::POST,
            "/account/tokens/:id/revoke",
            signed_in,
            account::revoke_token,
        ),
        page(M::GET, "/moderation", moderator, moderation::queue),
        page(M::GET, "/moderation/:ref", moderator, moderation::report),
        page(
            M::POST,
            "/moderation/:ref/draft",
            moderator,
            moderation::save_draft,
        ),
        page(
            M::POST,
            "/moderation/:ref/redactions",
            moderator,
            moderation::redaction,
        ),
        page(M::POST, "/moderation/:ref/ask", moderator, moderation::ask),
        page(
            M::POST,
            "/moderation/:ref/publish",
            moderator,
            moderation::publish,
        ),
        page(
            M::POST,
            "/moderation/:ref/reject",
            moderator,
            moderation::reject,
        ),
        page(
            M::POST,
            "/moderation/:ref/merge",
            moderator,
            moderation::merge,
        ),
        page(M::GET, "/admin/users", admin, admin::users),
        page(M::POST, "/admin/users", admin, admin::add_user),
        page(
            M::POST,
            "/admin/users/:name/disable",
            admin,
            admin::disable_user,
        ),
        page(M::GET, "/admin/audit", admin, admin::audit_log),
        page(M::GET, "/admin/units", admin, units::list),
        page(
            M::POST,
            "/admin/units/headcount",
            admin,
            units::set_headcount,
        ),
        page(M::GET, "/admin/thesaurus", admin, thesaurus::list),
        page(
            M::POST,
            "/admin/thesaurus/groups",
            admin,
            thesaurus::add_group,
        ),
        page(
            M::GET,
            "/admin/thesaurus/groups/:n",
            admin,
            thesaurus::group,
        ),
        page(
            M::POST,
            "/admin/thesaurus/groups/:n",
            admin,
            thesaurus::save_group,
        ),
        page(
            M::POST,
            "/admin/thesaurus/groups/:n/remove",
            admin,
            thesaurus::remove_group,
        ),
        page(M::POST, "/admin/thesaurus/reset", admin, thesaurus::reset),
        page(
            M::GET,
            "/admin/suggestion-templates",
            admin,
            suggestions::admin::list,
        ),
        page(
            M::POST,
            "/admin/suggestion-templates",
            admin,
            suggestions::admin::save,
        ),
        page(
            M::POST,
            "/admin/suggestion-templates/reset",
            admin,
            suggestions::admin::reset,
        ),
    ]
}

/// The access rules of every page, for the authorisation tests.
pub fn page_rules() -> Vec<PageRule> {
    pages().into_iter().map(|(rule, _)| rule).collect()
}

/// The whole application as one endpoint, used alike by the server and by the tests.
pub fn endpoint(state: AppState) -> impl Endpoint {
    let api = api::service();
    let api_routes = Route::new()
        .at("/openapi.json", api::spec_endpoint(&api))
        .nest("/docs", api.swagger_ui())
        .nest("/", api)
        .around(api_errors_as_json)
        .around(api::never_stored);

    let mut by_path: Vec<(&'static str, RouteMethod)> = Vec::new();
    for (rule, endpoint) in pages() {
        match by_path.iter_mut().find(|(path, _)| *path == rule.path) {
            Some((_, methods)) => {
                *methods = std::mem::take(methods).method(rule.method, endpoint);
            }
            None => by_path.push((rule.path, RouteMethod::new().method(rule.method, endpoint))),
        }
    }
    let rules = page_rules();
    let routes = by_path
        .into_iter()
        .fold(Route::new(), |route, (path, methods)| {
            let allow = Allow(allowed(&rules, path));
            let methods = methods.around(move |next, req| not_allowed(allow.clone(), next, req));
            route.at(path, methods)
        });
    let assets = EmbeddedFilesEndpoint::<StaticAssets>::new()
        .around(|next, req| not_allowed(Allow("GET".to_owned()), next, req));

    let html_state = state.clone();
    let identify_state = state.clone();
    let metrics = Arc::clone(&state.metrics);
    let names = Arc::new(telemetry::RouteNames::new(api::documented_paths()));
    routes
        .nest("/static", assets)
        .nest("/api", api_routes)
        // Not a page: for an admin's token or an allowed address, checked by the handler.
        .at("/metrics", get(metrics::scrape))
        .around(csrf::protect)
        .around(move |next, req| errors_as_html(html_state.clone(), next, req))
        .around(move |next, req| auth::identify(identify_state.clone(), next, req))
        .with(CookieJarManager::new())
        .around(security_headers)
        .around(move |next, req| {
            telemetry::access_log(Arc::clone(&metrics), Arc::clone(&names), next, req)
        })
        .data(state)
}

/// The one place where a page's error becomes the error page: the errors page handlers
/// return, the access guard's refusals, and unknown pages and methods outside the API.
async fn errors_as_html<E: Endpoint>(
    state: AppState,
    next: E,
    req: Request,
) -> poem::Result<Response> {
    let method = req.method().clone();
    match next.call(req).await {
        Ok(response) => Ok(response.into_response()),
        // The static files answer "304 Not Modified" as an error; it is none.
        Err(error) if error.status() == StatusCode::NOT_MODIFIED => Ok(error.into_response()),
        Err(error) => {
            // The access log names the route matched, if any, rather than the path.
            let pattern = error.data::<PathPattern>().cloned();
            let allow = error.data::<Allow>().cloned();
            let mut page = pages::error_page(&state, &as_app_error(error, method));
            if let Some(Allow(methods)) = allow
                && let Ok(methods) = header::HeaderValue::from_str(&methods)
            {
                page.headers_mut().insert(header::ALLOW, methods);
            }
            if let Some(pattern) = pattern {
                page.set_data(pattern);
            }
            Ok(page)
        }
    }
}

/// The app's own errors as they are; poem's (no such route, unreadable parameter) by status.
fn as_app_error(error: poem::Error, method: Method) -> AppError {
    match error.downcast::<AppError>() {
        Ok(app_error) => app_error,
        Err(error) => match error.status() {
            StatusCode::NOT_FOUND => AppError::NotFound("page"),
            StatusCode::METHOD_NOT_ALLOWED => AppError::MethodNotAllowed(method),
            s if s.is_server_error() => AppError::Internal(error.to_string()),
            _ => AppError::Malformed(error.to_string()),
        },
    }
}

/// The methods a path answers, carried with its 405 to the error page's `Allow` header.
#[derive(Clone, Debug)]
struct Allow(String);

/// The methods a page's path answers, for the `Allow` header; GET answers HEAD as well.
fn allowed(rules: &[PageRule], path: &str) -> String {
    let mut methods: Vec<&str> = Vec::new();
    for rule in rules.iter().filter(|rule| rule.path == path) {
        methods.push(rule.method.as_str());
        if rule.method == Method::GET {
            methods.push(Method::HEAD.as_str());
        }
    }
    methods.join(", ")
}

/// A method the path does not answer gets 405 and the methods it does, as HTTP asks,
/// rather than the 400 of an unreadable request.
async fn not_allowed<E: Endpoint>(allow: Allow, next: E, req: Request) -> poem::Result<Response> {
    match next.call(req).await {
        Ok(response) => Ok(response.into_response()),
        Err(mut error) if error.status() == StatusCode::METHOD_NOT_ALLOWED => {
            error.set_data(allow);
            Err(error)
        }
        Err(error) => Err(error),
    }
}

/// Headers that keep pages from being framed, sniffed or leaking where readers came from.
async fn security_headers<E: Endpoint>(next: E, req: Request) -> poem::Result<Response> {
    // The API explorer needs its own inline script; every other page runs without any.
    let strict_csp = !req.uri().path().starts_with("/api/docs");
    let mut response = next.call(req).await?.into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        header::HeaderValue::from_static("no-referrer"),
    );
    headers.insert(
        header::X_FRAME_OPTIONS,
        header::HeaderValue::from_static("DENY"),
    );
    if strict_csp {
        headers.insert(
            header::CONTENT_SECURITY_POLICY,
            header::HeaderValue::from_static(
                "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                 form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        );
    }
    Ok(response)
}

/// 200 when the database answers and the index is usable, 503 otherwise; the body says how
/// far the index lags behind the database.
#[handler]
async fn health(Data(state): Data<&AppState>) -> Response {
    let health = services::health::check(&state.db, &state.index).await;
    let status = if health.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    Json(health).with_status(status).into_response()
}
