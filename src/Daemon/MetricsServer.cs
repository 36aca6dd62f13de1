using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>
/// Prometheus metrics over plain HTTP on a loopback address only: <c>GET /metrics</c> returns the text exposition
/// format. A tiny server of our own (one request per connection) so the daemon needs no web framework.
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<DaemonSnapshot> _snapshot;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private MetricsServer(TcpListener listener, Func<DaemonSnapshot> snapshot, ILogger log)
    {
        _listener = listener;
        _snapshot = snapshot;
        _log = log;
        _accepting = Task.Run(AcceptAsync);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public static MetricsServer Start(IPEndPoint endPoint, Func<DaemonSnapshot> snapshot, ILogger log)
    {
        if (!IPAddress.IsLoopback(endPoint.Address))
            throw new ArgumentException("metrics are served on loopback only", nameof(endPoint));
        var listener = new TcpListener(endPoint);
        try
        {
            listener.Start();
        }
        catch (SocketException e)
        {
            throw new KecleonException($"cannot serve metrics on {endPoint}: {e.Message}. Choose another \"metrics\" address in the configuration, or \"\" for none.");
        }
        return new MetricsServer(listener, snapshot, log);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.LogWarning("metrics: {Error}", e.Message);
                continue;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.ReceiveTimeout = client.SendTimeout = 5000;
                var stream = client.GetStream();
                var request = new byte[4096];
                var length = 0;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                while (length < request.Length && !Encoding.ASCII.GetString(request, 0, length).Contains("\r\n\r\n", StringComparison.Ordinal))
                {
                    var n = await stream.ReadAsync(request.AsMemory(length), timeout.Token);
                    if (n == 0)
                        break;
                    length += n;
                }
                var line = Encoding.ASCII.GetString(request, 0, length).Split("\r\n")[0];
                var (status, body, type) = line.StartsWith("GET /metrics", StringComparison.Ordinal) || line.StartsWith("GET / ", StringComparison.Ordinal)
                    ? ("200 OK", Render(_snapshot()), "text/plain; version=0.0.4; charset=utf-8")
                    : ("404 Not Found", "Kecleon serves GET /metrics only\n", "text/plain; charset=utf-8");
                var bytes = Encoding.UTF8.GetBytes(body);
                var head = Encoding.ASCII.GetBytes($"HTTP/1.1 {status}\r\nContent-Type: {type}\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n");
                await stream.WriteAsync(head, timeout.Token);
                await stream.WriteAsync(bytes, timeout.Token);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException)
            {
                _log.LogDebug("metrics client: {Error}", e.Message);
            }
        }
    }

    /// <summary>The Prometheus text format of a snapshot.</summary>
    public static string Render(DaemonSnapshot status)
    {
        var text = new StringBuilder();
        void Metric(string name, string type, string help, Func<TargetSnapshot, double?> value)
        {
            text.Append(CultureInfo.InvariantCulture, $"# HELP kecleon_{name} {help}\n# TYPE kecleon_{name} {type}\n");
            foreach (var t in status.Targets)
                if (value(t) is { } v)
                    text.Append(CultureInfo.InvariantCulture, $"kecleon_{name}{{target=\"{t.Name}\"}} {v}\n");
        }
        Metric("original_ns_per_packet", "gauge", "Run time per packet of the original program, measured live (bpf_stats).", t => t.BaselineNsPerPacket);
        Metric("optimized_ns_per_packet", "gauge", "Run time per packet of the live optimized program (bpf_stats).", t => t.OptimizedNsPerPacket);
        Metric("speedup", "gauge", "Original over optimized ns/packet.", t => t.Speedup);
        Metric("swaps_total", "counter", "Programs swapped onto the hook.", t => t.Swaps);
        Metric("rollbacks_total", "counter", "Optimized programs rolled back because they ran slower.", t => t.Rollbacks);
        Metric("invalidations_total", "counter", "Guard invalidations: a specialized map was written.", t => t.Invalidations);
        Metric("respecializations_total", "counter", "Re-specializations after an invalidation.", t => t.Respecializations);
        Metric("raced_checks_total", "counter", "Checks that raced a control-plane write and ran again on a new snapshot.", t => t.RacedChecks);
        Metric("failures_total", "counter", "Failed cycles (verifier, unreadable map, vanished hook, ...).", t => t.Failures);
        Metric("optimized", "gauge", "1 while the optimized program is live and current.", t => t.State == TargetState.Optimized ? 1 : 0);
        Metric("reaction_ms_median", "gauge", "Median time from a map update seen to the re-specialized program live.",
            t => t.ReactionMs.Count == 0 ? null : t.ReactionMs.Order().ElementAt(t.ReactionMs.Count / 2));
        text.Append("# HELP kecleon_cycle_stage_ms Time of each stage of the last optimize cycle.\n# TYPE kecleon_cycle_stage_ms gauge\n");
        foreach (var t in status.Targets)
            if (t.LastCycle is { } c)
                foreach (var (stage, ms) in new[] { ("parse", c.Parse), ("analyze", c.Analyze), ("snapshot", c.Snapshot), ("passes", c.Passes),
                             ("optimize", c.Optimize), ("codegen", c.CodeGen), ("load", c.Load), ("check", c.Check), ("swap", c.Swap) })
                    text.Append(CultureInfo.InvariantCulture, $"kecleon_cycle_stage_ms{{target=\"{t.Name}\",stage=\"{stage}\"}} {ms}\n");
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        _stop.Dispose();
    }
}
