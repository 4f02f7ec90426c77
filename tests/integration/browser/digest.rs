//! Journey: a reader reads the month's digest, finds the feeds of a search, and signs in to
//! see the feeds and the digest on the account page; the unsubscribe page an email links to passes the same checks.

use anyhow::ensure;
use kintsugi::services::accounts::{self, Password, Role};
use kintsugi_tests::browser::journey;

const READER: &str = "re.ader";
const READER_PASSWORD: &str = "a long reader password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_reader_reads_the_digest_and_finds_the_feeds() -> anyhow::Result<()> {
    journey(async |j| {
        j.site.with_demo_lessons().await?;
        accounts::add(
            &j.site.state.db,
            "command line",
            READER,
            Role::Reader,
            READER_PASSWORD,
            Password::Chosen,
        )
        .await?;

        // The demo lessons are published this month: they are its digest.
        j.open("/digest").await?;
        ensure!(
            j.count("main section a[href^='/reports/']").await? > 0,
            "the digest should list this month's lessons"
        );
        ensure!(
            j.count("head link[rel=alternate]").await? == 0,
            "the digest page offers no feed of its own"
        );
        j.check_page("the monthly digest").await?;

        // The search page offers its feeds to browsers and feed readers.
        j.open("/search?channel=email").await?;
        ensure!(
            j.count("head link[rel=alternate][type='application/atom+xml']")
                .await?
                == 2,
            "all lessons and the channel's"
        );

        j.open("/signin?next=/account").await?;
        j.sign_in(READER, READER_PASSWORD).await?;
        // Reading is open on this site: the feeds need no token, and the account page says
        // where they are and that this installation sends no email.
        ensure!(
            j.count("section[aria-labelledby=feeds-title] a[href='/feeds/lessons.atom']")
                .await?
                == 1,
            "the account page links to the lesson feed"
        );
        ensure!(
            j.count("form[action='/account/feed-token']").await? == 0,
            "no token is needed where reading is open"
        );
        ensure!(
            j.text("section[aria-labelledby=digest-title]")
                .await?
                .contains("sends no email")
        );
        j.check_page("the account page with feeds and the digest")
            .await?;

        j.open("/digest/unsubscribe/1.nothing").await?;
        ensure!(j.text("main").await?.contains("unsubscribes no one"));
        j.check_page("a stale unsubscribe link").await?;
        Ok(())
    })
    .await
}
