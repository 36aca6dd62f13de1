using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Kecleon.Bench;

/// <summary>The outcomes of <c>bench --check</c> for people and CI: a list, JUnit XML, a Markdown summary.</summary>
public static class BenchCheckReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One line per outcome, then the totals.</summary>
    public static string Text(IReadOnlyList<CheckOutcome> outcomes)
    {
        var sb = new StringBuilder();
        sb.AppendLine($"checks ({Totals(outcomes)}):");
        foreach (var o in outcomes)
            sb.AppendLine($"  {o.StatusText,-20} {o.Check}: {(o.Status == CheckStatus.Skipped ? o.Message["skipped: ".Length..] : o.Message)}");
        return sb.ToString();
    }

    public static string Totals(IReadOnlyList<CheckOutcome> outcomes) =>
        $"{outcomes.Count(o => o.Status is CheckStatus.Passed or CheckStatus.Inconclusive)} passed" +
        $" ({outcomes.Count(o => o.Status == CheckStatus.Inconclusive)} inconclusive), {outcomes.Count(o => o.Status == CheckStatus.Failed)} failed, " +
        $"{outcomes.Count(o => o.Status == CheckStatus.Skipped)} skipped";

    /// <summary>JUnit XML: one test suite, one test case per outcome (class: the check, name: program/trace), a
    /// <c>failure</c> saying measured against threshold, a <c>skipped</c> saying why.</summary>
    public static string JUnit(IReadOnlyList<CheckOutcome> outcomes, string suite = "kecleon bench --check")
    {
        var cases = outcomes.Select(o =>
        {
            var testcase = new XElement("testcase",
                new XAttribute("classname", o.Check),
                new XAttribute("name", o.Scope.Length > 0 ? o.Scope : o.Check),
                new XAttribute("time", "0"));
            if (o.Status == CheckStatus.Failed)
                testcase.Add(new XElement("failure",
                    new XAttribute("message", $"measured {Measured(o)}, threshold {o.Threshold}"),
                    new XAttribute("type", "regression"), o.Message));
            else if (o.Status == CheckStatus.Skipped)
                testcase.Add(new XElement("skipped", new XAttribute("message", o.Message)));
            else
                testcase.Add(new XElement("system-out", o.Message));
            return testcase;
        }).ToList();
        var counts = (Tests: outcomes.Count, Failures: outcomes.Count(o => o.Status == CheckStatus.Failed), Skipped: outcomes.Count(o => o.Status == CheckStatus.Skipped));
        var testsuite = new XElement("testsuite",
            new XAttribute("name", suite), new XAttribute("tests", counts.Tests), new XAttribute("failures", counts.Failures),
            new XAttribute("errors", 0), new XAttribute("skipped", counts.Skipped),
            new XAttribute("timestamp", DateTime.UtcNow.ToString("s", Invariant)), cases);
        var root = new XElement("testsuites",
            new XAttribute("name", suite), new XAttribute("tests", counts.Tests), new XAttribute("failures", counts.Failures),
            new XAttribute("errors", 0), new XAttribute("skipped", counts.Skipped), testsuite);
        return new XDocument(new XDeclaration("1.0", "utf-8", null), root).Declaration + "\n" + root + "\n";
    }

    /// <summary>A Markdown summary: the totals, then a table of every outcome, failures first.</summary>
    public static string Markdown(IReadOnlyList<CheckOutcome> outcomes, string title = "kecleon bench --check")
    {
        var sb = new StringBuilder();
        var failed = outcomes.Any(o => o.Status == CheckStatus.Failed);
        sb.AppendLine($"### {(failed ? "❌" : "✅")} {title}");
        sb.AppendLine();
        sb.AppendLine($"{Totals(outcomes)}. A ratio fails only when its 99 % confidence interval lies wholly below the threshold.");
        sb.AppendLine();
        sb.AppendLine("| result | check | program/trace | measured | 99% interval | threshold |");
        sb.AppendLine("|---|---|---|---:|---|---|");
        foreach (var o in outcomes.OrderBy(o => o.Status switch { CheckStatus.Failed => 0, CheckStatus.Inconclusive => 1, CheckStatus.Passed => 2, _ => 3 }))
        {
            var icon = o.Status switch { CheckStatus.Failed => "❌ failed", CheckStatus.Inconclusive => "⚠️ inconclusive, passed", CheckStatus.Passed => "✅ passed", _ => "⏭️ skipped" };
            var interval = o.Interval is { } i ? string.Create(Invariant, $"[{i.Lower:F3}, {i.Upper:F3}]") : "";
            sb.AppendLine($"| {icon} | {Cell(o.Check)} | {Cell(o.Status == CheckStatus.Skipped ? o.Message : o.Scope)} | {Measured(o)} | {interval} | {Cell(o.Threshold)} |");
        }
        return sb.ToString();
    }

    private static string Measured(CheckOutcome o) => o.Measured is { } m ? m.ToString(m == Math.Floor(m) && Math.Abs(m) < 1e9 ? "0" : "0.000", Invariant) : "—";

    private static string Cell(string text) => text.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
