use super::*;
use crate::paths::format_date;
use time::macros::date;

fn fmt(r: Option<DateRange>) -> String {
    match r {
        Some(r) if r.start == r.end => format_date(r.start),
        Some(r) => format!("{} {}", format_date(r.start), format_date(r.end)),
        None => "none".into(),
    }
}

#[test]
fn single_dates() {
    // Wednesday 2021-10-06.
    let today = date!(2021 - 10 - 06);
    let cases = [
        ("2021-03-17", "2021-03-17"),
        ("2021-13-17", "none"),
        ("2021-02-29", "none"),
        ("2024-02-29", "2024-02-29"),
        ("2026-05-25T10:00", "2026-05-25"),
        ("today", "2021-10-06"),
        ("Today", "2021-10-06"),
        ("tomorrow", "2021-10-07"),
        ("yesterday", "2021-10-05"),
        ("the day after tomorrow", "2021-10-08"),
        ("25th May 2026", "2026-05-25"),
        ("25 May 2026", "2026-05-25"),
        ("May 25 2026", "2026-05-25"),
        ("May 25th, 2026", "2026-05-25"),
        ("the 25th of May 2026", "2026-05-25"),
        ("Monday 25th May 2026", "2026-05-25"),
        ("14 October", "2021-10-14"),
        ("Oct 14", "2021-10-14"),
        ("May", "2021-05-01"),
        ("May 2026", "2026-05-01"),
        ("31 February 2026", "none"),
        // A bare weekday is the closest one (Tasks docs: on Wednesday `tuesday` is yesterday).
        ("tuesday", "2021-10-05"),
        ("wednesday", "2021-10-06"),
        ("saturday", "2021-10-09"),
        ("sunday", "2021-10-03"),
        ("next monday", "2021-10-11"),
        ("next wednesday", "2021-10-13"),
        ("next sunday", "2021-10-17"),
        ("this friday", "2021-10-08"),
        ("last monday", "2021-10-04"),
        ("last wednesday", "2021-09-29"),
        ("last fri", "2021-10-01"),
        ("in 3 days", "2021-10-09"),
        ("in two weeks", "2021-10-20"),
        ("in a month", "2021-11-06"),
        ("in twelve months", "2022-10-06"),
        ("14 days ago", "2021-09-22"),
        ("two weeks ago", "2021-09-22"),
        ("2 years ago", "2019-10-06"),
        ("1 week ago", "2021-09-29"),
        ("3 days from now", "2021-10-09"),
        ("next week", "2021-10-13"),
        ("last month", "2021-09-06"),
        ("two weeks", "none"),
        ("someday", "none"),
        ("", "none"),
    ];
    for (input, want) in cases {
        let got = parse_natural_date(input, today).map(format_date);
        assert_eq!(got.as_deref().unwrap_or("none"), want, "{input:?}");
    }
}

#[test]
fn next_weekday_from_every_day_of_a_week() {
    // Monday 2023-02-06 .. Sunday 2023-02-12: `next monday` is always 2023-02-13,
    // `next sunday` always 2023-02-19.
    for d in 6..=12u8 {
        let today = Date::from_calendar_date(2023, Month::February, d).unwrap();
        let m = parse_natural_date("next monday", today).unwrap();
        let s = parse_natural_date("next sunday", today).unwrap();
        assert_eq!(
            (format_date(m), format_date(s)),
            ("2023-02-13".into(), "2023-02-19".into())
        );
    }
}

#[test]
fn month_arithmetic_clamps() {
    assert_eq!(
        add_months(date!(2024 - 01 - 31), 1),
        Some(date!(2024 - 02 - 29))
    );
    assert_eq!(
        add_months(date!(2023 - 03 - 31), -1),
        Some(date!(2023 - 02 - 28))
    );
    assert_eq!(
        add_months(date!(2023 - 12 - 15), 1),
        Some(date!(2024 - 01 - 15))
    );
}

#[test]
fn ranges() {
    // The Tasks plugin's own DateParser tests use 2021-10-06 as today.
    let today = date!(2021 - 10 - 06);
    let cases = [
        ("last week", "2021-09-27 2021-10-03"),
        ("this week", "2021-10-04 2021-10-10"),
        ("next week", "2021-10-11 2021-10-17"),
        ("next weekend", "2021-10-11 2021-10-17"),
        ("last month", "2021-09-01 2021-09-30"),
        ("this month", "2021-10-01 2021-10-31"),
        ("next month", "2021-11-01 2021-11-30"),
        ("last quarter", "2021-07-01 2021-09-30"),
        ("this quarter", "2021-10-01 2021-12-31"),
        ("next quarter", "2022-01-01 2022-03-31"),
        ("last year", "2020-01-01 2020-12-31"),
        ("this year", "2021-01-01 2021-12-31"),
        ("next year", "2022-01-01 2022-12-31"),
        ("2020-W53", "2020-12-28 2021-01-03"),
        ("2021-W01", "2021-01-04 2021-01-10"),
        ("2019-W01", "2018-12-31 2019-01-06"),
        ("  2021-W30", "2021-07-26 2021-08-01"),
        ("2024-02", "2024-02-01 2024-02-29"),
        ("2017-12", "2017-12-01 2017-12-31"),
        ("2007-Q1", "2007-01-01 2007-03-31"),
        (" 2023-Q3", "2023-07-01 2023-09-30"),
        ("2022 ", "2022-01-01 2022-12-31"),
        ("2020-W54", "none"),
        ("2018-W53", "none"),
        ("2021-W00", "none"),
        ("2023-Q5", "none"),
        ("2017-13", "none"),
        ("20167", "none"),
        ("2013-08-17   2014-08-19", "2013-08-17 2014-08-19"),
        ("2017-08-17 2014-08-19", "2014-08-19 2017-08-17"),
        ("2013-99-29 2014-08-19", "2014-08-19"),
        ("2014-08-19 2015-99-29", "2014-08-19"),
        ("2015-99-29 2015-99-29", "none"),
        ("17 August 2013 19 August 2013", "2013-08-17 2013-08-19"),
        ("2019-12-28", "2019-12-28"),
        ("tomorrow", "2021-10-07"),
        ("next monday", "2021-10-11"),
    ];
    for (input, want) in cases {
        assert_eq!(fmt(parse_date_range(input, today)), want, "{input:?}");
    }
}

#[test]
fn explanation_format() {
    assert_eq!(
        describe(date!(2024 - 01 - 02)),
        "2024-01-02 (Tuesday 2nd January 2024)"
    );
    assert_eq!(
        describe(date!(2022 - 10 - 22)),
        "2022-10-22 (Saturday 22nd October 2022)"
    );
    assert_eq!(
        describe(date!(2023 - 02 - 11)),
        "2023-02-11 (Saturday 11th February 2023)"
    );
    assert_eq!(
        describe(date!(2023 - 02 - 03)),
        "2023-02-03 (Friday 3rd February 2023)"
    );
    assert_eq!(
        describe(date!(2023 - 05 - 21)),
        "2023-05-21 (Sunday 21st May 2023)"
    );
}
