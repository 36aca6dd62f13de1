using System.CommandLine;
using Kecleon.Bench;

namespace Kecleon.Cli.Commands;

/// <summary>
/// The files <c>kecleon bench</c> writes besides its output: the reports (<c>--report</c> HTML, <c>--report-md</c>,
/// <c>--report-csv</c>) and, with <c>--check</c>, the list of checks, <c>--junit</c> XML and the <c>--summary-md</c>
/// Markdown (also appended to <c>$GITHUB_STEP_SUMMARY</c> when it is set).
/// </summary>
internal sealed class BenchOutputs
{
    public Option<string?> Report { get; } = new("--report") { Description = "Write an HTML report: charts per trace with 99% confidence intervals, speedups, a summary, the environment" };
    public Option<string?> ReportMarkdown { get; } = new("--report-md") { Description = "Write the results as a Markdown table (one row per trace and variant: mean, error, CI, median, ratio)" };
    public Option<string?> ReportCsv { get; } = new("--report-csv") { Description = "Write the results as CSV (one row per trace and variant: mean, error, CI, median, ratio)" };
    public Option<string?> JUnit { get; } = new("--junit") { Description = "With --check: write the checks as JUnit XML (one test case per check)" };
    public Option<string?> SummaryMarkdown { get; } = new("--summary-md") { Description = "With --check: write a Markdown summary of the checks (also appended to $GITHUB_STEP_SUMMARY when set)" };

    public void AddTo(Command command)
    {
        foreach (var option in new[] { Report, ReportMarkdown, ReportCsv, JUnit, SummaryMarkdown })
            command.Options.Add(option);
    }

    /// <summary>Checks every output path before the work (exit 73 for an unwritable one, 64 for a check file without --check).</summary>
    public void Validate(ParseResult result, bool checking)
    {
        foreach (var option in new[] { Report, ReportMarkdown, ReportCsv, JUnit, SummaryMarkdown })
            if (result.GetValue(option) is { } path)
                CommandFiles.Output(path, option.Name);
        if (!checking && (result.GetValue(JUnit) ?? result.GetValue(SummaryMarkdown)) is not null)
            throw new UsageException($"{(result.GetValue(JUnit) is not null ? "--junit" : "--summary-md")} writes the outcome of --check: add --check FILE");
    }

    public void WriteReports(ParseResult result, IReadOnlyList<BenchResult> results)
    {
        var environment = BenchEnvironment.Capture();
        foreach (var (option, render) in new (Option<string?>, Func<string>)[]
                 {
                     (Report, () => BenchExports.Html(results, environment)),
                     (ReportMarkdown, () => BenchExports.Markdown(results, environment)),
                     (ReportCsv, () => BenchExports.Csv(results)),
                 })
            if (result.GetValue(option) is { } path)
            {
                CommandFiles.Write(path, option.Name, p => File.WriteAllText(p, render()));
                Progress.Line($"report written to {path}");
            }
    }

    /// <summary>Lists every check (stdout, or stderr beside --json), writes --junit and --summary-md and the step summary;
    /// returns the failed ones' sentences.</summary>
    public IReadOnlyList<string> Checks(ParseResult result, IReadOnlyList<CheckOutcome> outcomes, bool json)
    {
        (json ? Console.Error : Console.Out).Write(BenchCheckReport.Text(outcomes));
        if (result.GetValue(JUnit) is { } junit)
            CommandFiles.Write(junit, "--junit", p => File.WriteAllText(p, BenchCheckReport.JUnit(outcomes)));
        var markdown = BenchCheckReport.Markdown(outcomes);
        if (result.GetValue(SummaryMarkdown) is { } summary)
            CommandFiles.Write(summary, "--summary-md", p => File.WriteAllText(p, markdown));
        if (Environment.GetEnvironmentVariable("GITHUB_STEP_SUMMARY") is { Length: > 0 } step)
            CommandFiles.Write(step, "GITHUB_STEP_SUMMARY", p => File.AppendAllText(p, markdown + "\n"));
        return [.. outcomes.Where(o => o.Status == CheckStatus.Failed).Select(o => o.Message)];
    }
}
