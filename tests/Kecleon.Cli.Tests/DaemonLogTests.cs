using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Kecleon.Bench.Live;
using Kecleon.Daemon;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>The daemon's logs: plain lines with an ISO 8601 UTC date and time and the event id; JSON lines
/// (<c>--json-logs</c>) with a timestamp and the event id. The target names an interface that does not exist, so the
/// daemon logs its start and then a failed cycle, and touches no data plane.</summary>
public sealed partial class DaemonLogTests
{
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info|warn|fail|crit|dbug): [\w.]+\[(\d+)\] ")]
    private static partial Regex PlainLine();

    private static List<string> RunDaemon(bool json)
    {
        var root = $"/sys/fs/bpf/daemon-logs-{Guid.NewGuid():N}"[..38];
        var config = TestEnvironment.TempFile(".json");
        var socket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"daemon-logs-{Guid.NewGuid():N}"[..24] + ".sock");
        File.WriteAllText(config, $$"""
            { "targets": [ { "name": "t", "source": "sample:router", "interface": "kclnone1" } ],
              "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{root}}", "backoff": "10s" }
            """);
        var info = new ProcessStartInfo(TestEnvironment.DotnetHost) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in (string[])[KecleonProcess.Dll, "daemon", "--config", config, .. json ? ["--json-logs"] : Array.Empty<string>()])
            info.ArgumentList.Add(a);
        var lines = new List<string>();
        using var daemon = Process.Start(info)!;
        daemon.OutputDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add(l); };
        daemon.ErrorDataReceived += (_, e) => { if (e.Data is { } l) lock (lines) lines.Add(l); };
        daemon.BeginOutputReadLine();
        daemon.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow.AddSeconds(45);
            while (DateTime.UtcNow < deadline && !daemon.HasExited)
            {
                lock (lines)
                    if (lines.Any(l => l.Contains("failed", StringComparison.Ordinal)))
                        break;
                Thread.Sleep(100);
            }
            if (daemon.HasExited)
                Assert.Fail($"the daemon exited ({daemon.ExitCode}):\n{string.Join('\n', lines)}");
            DaemonProcess.Stop(daemon);
        }
        finally
        {
            if (!daemon.HasExited)
                daemon.Kill(entireProcessTree: true);
            if (Directory.Exists(root))
                Directory.Delete(root, recursive: true);
            VethPair.RemoveLockFiles(root);
        }
        lock (lines)
            return [.. lines];
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Plain_logs_carry_a_utc_date_and_time_and_the_event_id()
    {
        var lines = RunDaemon(json: false);
        Assert.NotEmpty(lines);
        var ids = new List<int>();
        foreach (var line in lines)
        {
            var match = PlainLine().Match(line);
            Assert.True(match.Success, $"not a dated single log line: {line}\n{string.Join('\n', lines)}");
            ids.Add(int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
        Assert.Contains(DaemonEvents.Started.Id, ids);
        Assert.Contains(DaemonEvents.Failed.Id, ids);
        Assert.Contains(DaemonEvents.Stopped.Id, ids);
    }

    [Trait("Tier", "Kernel")]
    [Fact]
    public void Json_logs_carry_a_timestamp_and_the_event_id()
    {
        var lines = RunDaemon(json: true);
        Assert.NotEmpty(lines);
        var ids = new List<int>();
        foreach (var line in lines)
        {
            using var entry = JsonDocument.Parse(line);
            var timestamp = entry.RootElement.GetProperty("Timestamp").GetString()!;
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", timestamp);
            Assert.True(DateTimeOffset.UtcNow - DateTimeOffset.Parse(timestamp, System.Globalization.CultureInfo.InvariantCulture) < TimeSpan.FromMinutes(5));
            ids.Add(entry.RootElement.GetProperty("EventId").GetInt32());
        }
        Assert.Contains(DaemonEvents.Started.Id, ids);
        Assert.Contains(DaemonEvents.Failed.Id, ids);
        Assert.Contains(DaemonEvents.Stopped.Id, ids);
    }

    [Fact]
    public void Event_ids_are_distinct_and_documented()
    {
        var doc = File.ReadAllText(Path.Combine(TestEnvironment.RepositoryRoot, "docs", "daemon.md"));
        Assert.Equal(DaemonEvents.All.Count, DaemonEvents.All.Select(e => e.Id).Distinct().Count());
        foreach (var e in DaemonEvents.All)
            Assert.Contains($"| {e.Id} | `{e.Name}` |", doc);
    }
}
