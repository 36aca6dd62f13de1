using Spectre.Console;

namespace Kecleon.Cli.Commands;

/// <summary>
/// A progress bar on stderr for long work (diff --fuzz, bench, profile), drawn by Spectre.Console, only where a person
/// watches: both stdout and stderr are a terminal, the command prints no JSON, and the terminal takes cursor movement
/// (Spectre's own detection: TERM=dumb or no terminal turns it off; NO_COLOR drops only the colours). Elsewhere the work
/// runs as it did, with the same lines and nothing else. Lines said meanwhile (<see cref="Progress.Line"/>) go above the bar.
/// </summary>
internal sealed class ProgressDisplay
{
    private readonly ProgressTask _task;

    private ProgressDisplay(ProgressTask task) => _task = task;

    /// <summary>The console the bar draws on, while one is shown (lines go through it).</summary>
    internal static IAnsiConsole? Live { get; private set; }

    /// <summary>Whether a bar would be shown for a command that prints JSON or not.</summary>
    public static bool Enabled(bool json) =>
        !json && !Console.IsOutputRedirected && !Console.IsErrorRedirected && Terminal.Value.Profile.Capabilities.Interactive &&
        Terminal.Value.Profile.Capabilities.Ansi;

    private static readonly Lazy<IAnsiConsole> Terminal = new(() =>
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) }));

    /// <summary>Runs <paramref name="work"/> with a bar of <paramref name="total"/> steps when <see cref="Enabled"/>; else
    /// with a display that ignores what it is told.</summary>
    public static T Run<T>(bool json, string description, double total, Func<ProgressDisplay?, T> work)
    {
        if (!Enabled(json))
            return work(null);
        var console = Terminal.Value;
        return console.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                Live = console;
                try
                {
                    return work(new ProgressDisplay(context.AddTask(Markup.Escape(description), maxValue: Math.Max(1, total))));
                }
                finally
                {
                    Live = null;
                }
            });
    }

    /// <summary>Sets how far the work is, and what the bar says.</summary>
    public void Report(double done, string? description = null)
    {
        _task.Value = done;
        if (description is not null)
            _task.Description = Markup.Escape(description);
    }

    /// <summary>Sets how far the work is out of a total known only as it goes, and what the bar says.</summary>
    public void Report(double done, double total, string description)
    {
        _task.MaxValue = Math.Max(1, total);
        Report(done, description);
    }
}
