using System.Diagnostics;
using Kecleon.Daemon;
using Kecleon.Bench.Live;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary><c>kecleon daemon</c> as a process on the router sample: its configuration, its status through the socket,
/// and a graceful stop.</summary>
internal static class DaemonProcess
{
    /// <summary>Writes a configuration with one target, the router sample on <paramref name="pair"/>'s host end, kept on
    /// shutdown, pinned under <paramref name="pinRoot"/> (default: the pair's folder), with the given timings; returns
    /// the configuration's path and its status socket.</summary>
    public static (string Config, string Socket) RouterConfig(VethPair pair, string socketPrefix, string period, string profileWindow,
        string watch, string? pinRoot = null)
    {
        var socket = Path.Combine(Path.GetTempPath(), "kecleon-tests", $"{socketPrefix}-{Guid.NewGuid():N}.sock");
        var config = TestEnvironment.TempFile(".json");
        File.WriteAllText(config, $$"""
            {
              "targets": [ { "name": "router", "source": "sample:router", "interface": "{{pair.HostEnd}}" } ],
              "period": "{{period}}", "profile_window": "{{profileWindow}}", "watch": "{{watch}}", "backoff": "200ms",
              "on_shutdown": "keep", "status_socket": "{{socket}}", "metrics": "", "pin_root": "{{pinRoot ?? pair.PinDirectory}}"
            }
            """);
        return (config, socket);
    }

    /// <summary>The daemon's one target once <paramref name="done"/> holds for it, asked through its status socket.</summary>
    public static TargetSnapshot WaitFor(string socket, Func<TargetSnapshot, bool> done, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        TargetSnapshot? last = null;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                last = StatusServer.Query(socket, TimeSpan.FromSeconds(2)).Targets.Single();
                if (done(last))
                    return last;
            }
            catch (KecleonException)
            {
                // not up yet
            }
            Thread.Sleep(100);
        }
        throw new TimeoutException($"the daemon did not {what}: {last?.State} {last?.Detail} " +
                                   string.Join("; ", last?.RecentFailures.Select(f => f.Reason) ?? []));
    }

    /// <summary>True once the daemon reports its target optimized; false when the daemon exits first.</summary>
    public static bool WaitForOptimizedOrExit(Process daemon, string socket, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (daemon.HasExited)
                return false;
            try
            {
                if (StatusServer.Query(socket, TimeSpan.FromSeconds(2)).Targets.Single().State == TargetState.Optimized)
                    return true;
            }
            catch (Exception e) when (e is KecleonException or IOException or System.Net.Sockets.SocketException or System.Text.Json.JsonException)
            {
                // not up yet, or killed meanwhile
            }
            Thread.Sleep(20);
        }
        throw new TimeoutException("the daemon neither optimized nor exited");
    }

    /// <summary>SIGTERM, and the daemon must exit with 0 within a minute.</summary>
    public static void Stop(Process daemon)
    {
        Process.Start("kill", $"-TERM {daemon.Id}")!.WaitForExit();
        Assert.True(daemon.WaitForExit(60_000), "the daemon did not stop on SIGTERM");
        Assert.Equal(0, daemon.ExitCode);
    }
}
