//! The exact conditional test of two Poisson counts with exposures: given the occurrences on
//! both sides, the share after the change is binomial if the rate did not change.

use statrs::distribution::{Beta, Binomial, ContinuousCDF, Discrete};

/// How sure a confidence interval is.
const CONFIDENCE: f64 = 0.95;

/// A count of occurrences and the published reports it is a share of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Count {
    pub occurrences: u64,
    pub reports: u64,
}

/// The rate after over the rate before. Every number is finite or absent: a ratio over no
/// occurrences before has no finite estimate nor upper bound, and a side without reports
/// has no rate at all.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RateRatio {
    pub estimate: Option<f64>,
    pub ci_low: Option<f64>,
    pub ci_high: Option<f64>,
    pub p_value: Option<f64>,
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

/// Compares the rates of `after` and `before`.
///
/// If both sides had the same rate, x_after given n = x_before + x_after occurrences is
/// Binomial(n, π₀) with π₀ = r_after / (r_after + r_before), r the reports. The p-value is
/// two-sided by the "as likely or less" rule (as R's `binom.test`); the interval is the
/// Clopper–Pearson one on π, taken back to a ratio by RR = π / (1 − π) · r_before / r_after.
pub fn compare(before: Count, after: Count) -> RateRatio {
    let n = before.occurrences + after.occurrences;
    if n == 0 || before.reports == 0 || after.reports == 0 {
        return RateRatio::default();
    }
    let exposure = before.reports as f64 / after.reports as f64;
    let to_ratio = |share: f64| finite(share / (1.0 - share) * exposure);
    let share_null = after.reports as f64 / (after.reports + before.reports) as f64;
    let (low, high) = clopper_pearson(after.occurrences, n);
    RateRatio {
        estimate: finite(after.occurrences as f64 / before.occurrences as f64 * exposure),
        ci_low: low.and_then(to_ratio),
        ci_high: high.and_then(to_ratio),
        p_value: two_sided_p(after.occurrences, n, share_null),
    }
}

/// The exact interval for a binomial proportion: x of n.
fn clopper_pearson(x: u64, n: u64) -> (Option<f64>, Option<f64>) {
    let tail = (1.0 - CONFIDENCE) / 2.0;
    let low = if x == 0 {
        Some(0.0)
    } else {
        Beta::new(x as f64, (n - x + 1) as f64)
            .ok()
            .map(|b| b.inverse_cdf(tail))
    };
    let high = if x == n {
        Some(1.0)
    } else {
        Beta::new((x + 1) as f64, (n - x) as f64)
            .ok()
            .map(|b| b.inverse_cdf(1.0 - tail))
    };
    (low, high)
}

/// The probability of an outcome as likely as `x` or less, under Binomial(n, p).
fn two_sided_p(x: u64, n: u64, p: f64) -> Option<f64> {
    let binomial = Binomial::new(p, n).ok()?;
    // A relative tolerance, so that outcomes exactly as likely are not lost to rounding.
    let observed = binomial.pmf(x) * (1.0 + 1e-7);
    let p_value: f64 = (0..=n)
        .map(|k| binomial.pmf(k))
        .filter(|q| *q <= observed)
        .sum();
    finite(p_value.min(1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn count(occurrences: u64, reports: u64) -> Count {
        Count {
            occurrences,
            reports,
        }
    }

    fn close(value: Option<f64>, expected: f64) -> bool {
        value.is_some_and(|v| (v - expected).abs() < 1e-6 * expected.abs().max(1.0))
    }

    /// P(X = k) for Binomial(n, p), by hand: C(n, k) pᵏ (1 − p)ⁿ⁻ᵏ.
    fn pmf(n: u64, k: u64, p: f64) -> f64 {
        let choose = (0..k).fold(1.0, |c, i| c * (n - i) as f64 / (i + 1) as f64);
        choose * p.powi(k as i32) * (1.0 - p).powi((n - k) as i32)
    }

    #[test]
    fn a_drop_at_the_same_reporting_volume() {
        // 10 of 200 reports before (5.0 per 100), 2 of 200 after (1.0): RR = 0.2.
        // π₀ = 200 / 400 = 1/2, n = 12, x = 2; P(k) = C(12, k) / 4096. As likely or less
        // than P(2) = 66/4096: k = 0, 1, 2, 10, 11, 12, so p = 2 (1 + 12 + 66) / 4096
        // = 158 / 4096 = 0.038574. Clopper–Pearson on 2 of 12: π_L solves P(X ≥ 2) = 0.025,
        // π_U solves P(X ≤ 2) = 0.025 (checked below); π_L = 0.0208625, π_U = 0.4841377, so
        // RR from π / (1 − π) · 200/200 = 0.0213070 to 0.9385020.
        let r = compare(count(10, 200), count(2, 200));
        assert!(close(r.estimate, 0.2), "{r:?}");
        assert!(close(r.p_value, 158.0 / 4096.0), "{r:?}");
        assert!(close(r.ci_low, 0.021_307_044), "{r:?}");
        assert!(close(r.ci_high, 0.938_501_989), "{r:?}");
        let (low, high) = clopper_pearson(2, 12);
        let (low, high) = (low.unwrap_or(f64::NAN), high.unwrap_or(f64::NAN));
        let at_least_two = 1.0 - pmf(12, 0, low) - pmf(12, 1, low);
        let at_most_two = pmf(12, 0, high) + pmf(12, 1, high) + pmf(12, 2, high);
        assert!((at_least_two - 0.025).abs() < 1e-9 && (at_most_two - 0.025).abs() < 1e-9);
    }

    #[test]
    fn fewer_occurrences_from_fewer_reports_is_no_change() {
        // Reporting halves and so do occurrences: 10 of 200 before, 5 of 100 after, both
        // 5.0 per 100, RR = (5/100) / (10/200) = 1. π₀ = 100 / 300 = 1/3, n = 15, x = 5,
        // which is the mode of Binomial(15, 1/3) (⌊16/3⌋ = 5): every outcome is as likely or
        // less, p = 1. CI: π from 0.1182411 to 0.6161963 on 5 of 15, RR = π / (1 − π) · 2
        // from 0.2681937 to 3.2109967.
        let r = compare(count(10, 200), count(5, 100));
        assert!(close(r.estimate, 1.0), "{r:?}");
        assert!(close(r.p_value, 1.0), "{r:?}");
        assert!(close(r.ci_low, 0.268_193_729), "{r:?}");
        assert!(close(r.ci_high, 3.210_996_742), "{r:?}");
    }

    #[test]
    fn none_after_has_a_ratio_of_zero_and_a_finite_upper_bound() {
        // 8 of 100 before, 0 of 100 after: RR = 0. π₀ = 1/2, n = 8, x = 0: p = P(0) + P(8)
        // = 2/256. π_U solves (1 − π)⁸ = 0.025: π_U = 1 − 0.025^(1/8) = 0.3694166, so RR_U
        // = 0.3694166 / 0.6305834 = 0.5858332; π_L = 0.
        let r = compare(count(8, 100), count(0, 100));
        assert_eq!(r.estimate, Some(0.0));
        assert_eq!(r.ci_low, Some(0.0));
        let high = 1.0 - 0.025_f64.powf(1.0 / 8.0);
        assert!(close(r.ci_high, high / (1.0 - high)), "{r:?}");
        assert!(close(r.ci_high, 0.585_833_175), "{r:?}");
        assert!(close(r.p_value, 2.0 / 256.0), "{r:?}");
    }

    #[test]
    fn none_before_has_no_finite_ratio_nor_upper_bound() {
        // 0 of 100 before, 6 of 100 after: π_L solves π⁶ = 0.025, π_L = 0.025^(1/6)
        // = 0.5407419, RR_L = 0.5407419 / 0.4592581 = 1.1774247; p = P(0) + P(6) = 2/64.
        let r = compare(count(0, 100), count(6, 100));
        assert_eq!((r.estimate, r.ci_high), (None, None));
        let low = 0.025_f64.powf(1.0 / 6.0);
        assert!(close(r.ci_low, low / (1.0 - low)), "{r:?}");
        assert!(close(r.ci_low, 1.177_424_726), "{r:?}");
        assert!(close(r.p_value, 2.0 / 64.0), "{r:?}");
    }

    #[test]
    fn nothing_to_compare_gives_no_numbers() {
        for (before, after) in [
            (count(0, 100), count(0, 100)),
            (count(3, 0), count(1, 100)),
            (count(3, 100), count(1, 0)),
        ] {
            assert_eq!(compare(before, after), RateRatio::default());
        }
    }
}
