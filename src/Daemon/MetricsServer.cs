using System.Net;
using Prometheus;

namespace Kecleon.Daemon;

/// <summary>
/// Prometheus metrics over HTTP on a loopback address only: <c>GET /metrics</c> returns the text exposition format of
/// <see cref="DaemonMetrics"/> (prometheus-net's stand-alone <see cref="MetricServer"/>).
/// </summary>
public sealed class MetricsServer : IAsyncDisposable
{
    private readonly MetricServer _server;

    private MetricsServer(MetricServer server, IPEndPoint endPoint)
    {
        _server = server;
        EndPoint = endPoint;
    }

    public IPEndPoint EndPoint { get; }

    public static MetricsServer Start(IPEndPoint endPoint, DaemonMetrics metrics)
    {
        if (!IPAddress.IsLoopback(endPoint.Address))
            throw new ArgumentException("metrics are served on loopback only", nameof(endPoint));
        var host = endPoint.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{endPoint.Address}]" : endPoint.Address.ToString();
        var server = new MetricServer(host, endPoint.Port, "metrics/", metrics.Registry);
        try
        {
            server.Start();
        }
        catch (Exception e) when (e is HttpListenerException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            server.Dispose();
            throw new KecleonException($"cannot serve metrics on {endPoint}: {e.Message}. Choose another \"metrics\" address in the configuration, or \"\" for none.");
        }
        return new MetricsServer(server, endPoint);
    }

    public async ValueTask DisposeAsync()
    {
        await _server.StopAsync();
        _server.Dispose();
    }
}
