using System.Diagnostics;
using System.Text.Json.Nodes;
using Kecleon.Daemon;
using Kecleon.Bench;
using Kecleon.Bench.Live;

namespace Kecleon.Cli.Commands;

/// <summary>
/// <c>kecleon bench --daemon-idle</c>: a real <c>kecleon daemon</c>, in a child process, keeping the router sample
/// optimized on a veth pair of its own (loaded and attached by the daemon, no traffic), with the default loop settings
/// but a period longer than the bench. Each <see cref="Enter"/> starts it and waits until it is idle between cycles
/// (the target optimized, its measurement window over, the JIT settled, its process quiet); disposing stops it with
/// SIGTERM (on_shutdown restore, so that nothing of it stays attached while it is stopped). Before each phase without
/// it, the same is done and undone, so that both sides come after a daemon's start-up.
/// </summary>
internal sealed class IdleDaemon : IDisposable
{
    public const string Condition = "daemon idle";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(2);
    /// <summary>After the target is optimized: tiered JIT recompilations and the runtime's own start-up work end.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);
    /// <summary>Idle: at most this much of a core used by the daemon over the last <see cref="QuietWindow"/>.</summary>
    private const double QuietShare = 0.01;
    private static readonly TimeSpan QuietWindow = TimeSpan.FromSeconds(1);
    /// <summary>How long to wait for <see cref="QuietShare"/> after <see cref="Settle"/>; then the phase is timed as it is
    /// (a daemon that does not go quiet is what it costs).</summary>
    private static readonly TimeSpan QuietTimeout = TimeSpan.FromSeconds(20);

    private readonly VethPair _pair;
    private readonly string _directory;
    private readonly string _config;
    private readonly string _socket;

    private IdleDaemon(VethPair pair, string directory)
    {
        _pair = pair;
        _directory = directory;
        _config = Path.Combine(directory, "kecleon.json");
        _socket = Path.Combine(directory, "kecleon.sock");
        var config = new JsonObject
        {
            ["targets"] = new JsonArray(new JsonObject { ["name"] = "idle", ["source"] = "sample:router", ["interface"] = pair.HostEnd, ["attach"] = true }),
            ["period"] = "01:00:00",
            ["on_shutdown"] = "restore",
            ["status_socket"] = _socket,
            ["metrics"] = "",
            ["pin_root"] = pair.PinDirectory,
        };
        File.WriteAllText(_config, config.ToJsonString());
    }

    public static IdleDaemon Create()
    {
        var directory = Directory.CreateTempSubdirectory("kecleon-bench-daemon-").FullName; // mkdtemp: 0700, a fresh name
        VethPair? pair = null;
        try
        {
            pair = VethPair.Create();
            return new IdleDaemon(pair, directory);
        }
        catch
        {
            pair?.Dispose();
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>Phases with the daemon idle; before each phase without it, the daemon is started and stopped all the same
    /// (<see cref="Control"/>).</summary>
    public BenchAlternation Alternation(int phases) => new(Condition, Enter, phases, Control);

    /// <summary>What a phase with the daemon has before it, and then the daemon stopped: both sides of the alternation
    /// come after a daemon's start-up (seconds of work on both cores), and differ only in its being there.</summary>
    private void Control()
    {
        using (Start(control: true))
        {
        }
        Thread.Sleep(Settle);
    }

    /// <summary>Starts the daemon and returns once it is idle; disposing the result stops it.</summary>
    public IDisposable Enter() => Start(control: false);

    private Running Start(bool control)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true, RedirectStandardError = true };
        // Run as `dotnet kecleon.dll`: the same again; as the apphost: itself.
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kecleon.dll"));
        foreach (var a in new[] { "daemon", "--config", _config })
            info.ArgumentList.Add(a);
        var process = Process.Start(info) ?? throw new KecleonException("could not start `kecleon daemon` for --daemon-idle");
        var log = new List<string>();
        process.OutputDataReceived += (_, e) => Keep(log, e.Data);
        process.ErrorDataReceived += (_, e) => Keep(log, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var running = new Running(process, log);
        try
        {
            WaitUntilIdle(running, control);
            running.Mark(control);
            return running;
        }
        catch
        {
            running.Dispose();
            throw;
        }
    }

    private void WaitUntilIdle(Running daemon, bool control)
    {
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            if (daemon.Process.HasExited)
                throw new KecleonException($"the daemon started for --daemon-idle exited ({daemon.Process.ExitCode}): {daemon.LastLines()}");
            if (DateTime.UtcNow > deadline)
                throw new KecleonException($"the daemon started for --daemon-idle was not idle within {StartTimeout.TotalSeconds:0} s: {daemon.LastLines()}");
            if (File.Exists(_socket) && TryStatus() is { State: TargetState.Optimized or TargetState.Original } target)
            {
                Thread.Sleep(Settle);
                var share = WaitUntilQuiet(daemon.Process);
                var detail = target.Detail is { } d ? $" ({d})" : "";
                var loud = share > QuietShare ? FormattableString.Invariant($" (not quiet within {QuietTimeout.TotalSeconds:0} s)") : "";
                var role = control ? "; stopped again before a phase without it" : "";
                Progress.Line(FormattableString.Invariant(
                    $"  daemon {daemon.Process.Id} idle: {target.State.ToString().ToLowerInvariant()}{detail}, {share * 100:0.0}% of a core over the last {QuietWindow.TotalSeconds:0} s{loud}{role}"));
                return;
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Waits until the daemon uses at most <see cref="QuietShare"/> of a core over a <see cref="QuietWindow"/>
    /// (background work after a cycle, such as preparing the next cycle's module, over), or <see cref="QuietTimeout"/>;
    /// returns the share of the last window.</summary>
    private static double WaitUntilQuiet(Process process)
    {
        var deadline = DateTime.UtcNow + QuietTimeout;
        while (true)
        {
            process.Refresh();
            var before = process.TotalProcessorTime;
            Thread.Sleep(QuietWindow);
            process.Refresh();
            var share = (process.TotalProcessorTime - before) / QuietWindow;
            if (share <= QuietShare || DateTime.UtcNow > deadline)
                return share;
        }
    }

    private TargetSnapshot? TryStatus()
    {
        try
        {
            return StatusServer.Query(_socket, TimeSpan.FromSeconds(2)).Targets.FirstOrDefault();
        }
        catch (KecleonException)
        {
            return null; // not listening yet
        }
    }

    private static void Keep(List<string> log, string? line)
    {
        if (line is null)
            return;
        lock (log)
        {
            log.Add(line);
            if (log.Count > 20)
                log.RemoveAt(0);
        }
    }

    public void Dispose()
    {
        _pair.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private sealed class Running(Process process, List<string> log) : IDisposable
    {
        public Process Process => process;

        public string LastLines()
        {
            lock (log)
                return string.Join(" | ", log.TakeLast(5));
        }

        private (TimeSpan Cpu, long Ticks)? _mark;

        /// <summary>From here to <see cref="Dispose"/>: the phase timed beside it, whose share of a core it reports.</summary>
        public void Mark(bool control)
        {
            if (control)
                return;
            process.Refresh();
            _mark = (process.TotalProcessorTime, Stopwatch.GetTimestamp());
        }

        public void Dispose()
        {
            try
            {
                if (_mark is { } mark && !process.HasExited)
                {
                    process.Refresh();
                    var share = (process.TotalProcessorTime - mark.Cpu) / Stopwatch.GetElapsedTime(mark.Ticks);
                    Progress.Line(FormattableString.Invariant($"  daemon {process.Id}: {share * 100:0.0}% of a core while the variants were timed beside it"));
                }
                if (!process.HasExited)
                {
                    using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
                        kill.WaitForExit();
                    if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
                    {
                        process.Kill(entireProcessTree: true);
                        throw new KecleonException($"the daemon started for --daemon-idle did not stop on SIGTERM within 60 s: {LastLines()}");
                    }
                }
                process.WaitForExit();
            }
            finally
            {
                process.Dispose();
            }
        }
    }
}
