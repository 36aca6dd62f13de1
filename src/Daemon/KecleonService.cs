using Kecleon.Runtime.Guards;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kecleon.Daemon;

/// <summary>
/// The daemon: one <see cref="TargetWorker"/> per configured target (a chain: a <see cref="ChainWorker"/>), in parallel, sharing one guard table and a bound
/// on concurrent compilations; the status socket and the metrics endpoint. The kernel's run-time statistics are on only
/// for a worker's measurement windows (they cost every BPF program on the machine while on): the idle daemon costs the
/// data plane nothing.
/// </summary>
public sealed class KecleonService(DaemonConfig config, Func<GuardTable, WorkerServices> services, ILogger<KecleonService> log) : BackgroundService
{
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private IReadOnlyList<IDaemonWorker> _workers = [];
    private string _guardHook = "";

    public DaemonSnapshot Snapshot() => new(_started, _guardHook, _workers.Select(w => w.Snapshot()).ToList());

    /// <summary>The metrics, told of every worker's swaps and re-specializations.</summary>
    private DaemonMetrics Metrics()
    {
        var metrics = new DaemonMetrics(Snapshot);
        foreach (var w in _workers)
            w.Events = metrics;
        return metrics;
    }

    protected override async Task ExecuteAsync(CancellationToken stop)
    {
        using var guards = GuardTable.OpenPinned(Path.Combine(config.PinRoot, "guards"));
        _guardHook = guards.MechanismDescription;
        var shared = services(guards);
        _workers = config.Targets.Select(t => t.IsChain ? (IDaemonWorker)new ChainWorker(t, shared) : new TargetWorker(t, shared)).ToList();
        await using var status = StatusServer.Start(config.StatusSocket, Snapshot, log);
        await using var metrics = config.Metrics.Length > 0 && DaemonConfig.TryParseLoopback(config.Metrics, out var endPoint)
            ? MetricsServer.Start(endPoint, Metrics())
            : null;
        log.LogInformation(DaemonEvents.Started, "kecleon daemon: {Count} target(s), guard hook {Hook}, status {Socket}, metrics {Metrics}",
            _workers.Count, _guardHook, config.StatusSocket, metrics?.EndPoint.ToString() ?? "off");
        await Task.WhenAll(_workers.Select(w => Task.Run(() => w.RunAsync(stop), CancellationToken.None)));
        log.LogInformation(DaemonEvents.Stopped, "kecleon daemon stopped ({Policy})", config.OnShutdown == ShutdownPolicy.Keep
            ? "on_shutdown keep: any optimized program stays in place, guarded" : "on_shutdown restore: original programs restored");
    }
}
