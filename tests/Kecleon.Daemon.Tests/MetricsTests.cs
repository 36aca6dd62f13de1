using System.Diagnostics;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using Kecleon.Daemon;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Daemon.Tests;

/// <summary>The metrics endpoint (prometheus-net): well-formed for Prometheus's own linter, base units, histograms,
/// build info, process metrics and a state label.</summary>
public sealed class MetricsTests
{
    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    private static async Task<string> Scrape(Action<string>? check = null)
    {
        DaemonSnapshot? snapshot = null;
        var metrics = new DaemonMetrics(() => snapshot!);
        snapshot = ConfigAndEndpointTests.Sample(metrics);
        await using var server = MetricsServer.Start(new IPEndPoint(IPAddress.Loopback, FreePort()), metrics);
        using var http = new HttpClient();
        var body = await http.GetStringAsync($"http://{server.EndPoint}/metrics");
        var missing = await http.GetAsync($"http://{server.EndPoint}/other");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        return body;
    }

    [Fact]
    public async Task Metrics_are_served_in_the_prometheus_format_on_loopback()
    {
        var body = await Scrape();
        Assert.Contains("# TYPE kecleon_swaps_total counter", body);
        Assert.Contains("kecleon_swaps_total{target=\"router\",stage=\"\"} 1", body);
        Assert.Contains("kecleon_speedup_ratio{target=\"router\",stage=\"\"} 2", body);
        Assert.Contains("kecleon_original_seconds_per_packet{target=\"router\",stage=\"\"} 4e-08", body, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("kecleon_target_state{target=\"router\",stage=\"\",state=\"optimized\"} 1", body);
        Assert.Contains("kecleon_target_state{target=\"router\",stage=\"\",state=\"backoff\"} 0", body);
        Assert.Contains("# TYPE kecleon_cycle_stage_seconds histogram", body);
        Assert.Contains("kecleon_cycle_stage_seconds_sum{target=\"router\",chain_stage=\"\",stage=\"load\"} 0.007", body);
        Assert.Contains("kecleon_reaction_seconds_count{target=\"router\",stage=\"\"} 1", body);
        Assert.Contains("kecleon_reaction_seconds_sum{target=\"router\",stage=\"\"} 0.03", body);
        Assert.Contains("# TYPE kecleon_write_to_live_seconds histogram", body);
        Assert.Contains("kecleon_write_to_live_seconds_sum{target=\"router\",stage=\"\",kind=\"rebuild\"} 0.032", body);
        Assert.Contains("kecleon_write_to_live_seconds_count{target=\"router\",stage=\"\",kind=\"in_place\"} 1", body);
        Assert.Contains("kecleon_reaction_stage_seconds_sum{target=\"router\",chain_stage=\"\",kind=\"rebuild\",stage=\"check\"} 0.008", body);
        Assert.Contains("kecleon_reaction_stage_seconds_count{target=\"router\",chain_stage=\"\",kind=\"in_place\",stage=\"flip\"} 1", body);
        // A chain's stages, each with its own series.
        Assert.Contains("kecleon_swaps_total{target=\"chain\",stage=\"chain_firewall\"} 1", body);
        Assert.Contains("kecleon_target_state{target=\"chain\",stage=\"chain_router\",state=\"original\"} 1", body);
        Assert.Contains("kecleon_cycle_stage_seconds_sum{target=\"chain\",chain_stage=\"chain_firewall\",stage=\"load\"} 0.007", body);
        Assert.Matches("kecleon_build_info\\{version=\"[^\"]+\",commit=\"[0-9a-f]{7,}\",runtime=\"\\.NET [^\"]+\"\\} 1", body);
        Assert.Contains("process_cpu_seconds_total", body);
        Assert.DoesNotContain("_ms", body);
        Assert.DoesNotContain("_ns", body);
        Assert.Throws<ArgumentException>(() => MetricsServer.Start(new IPEndPoint(IPAddress.Any, FreePort()), new DaemonMetrics(ConfigAndEndpointTests.Sample)));
    }

    /// <summary><c>promtool check metrics</c> (installed by scripts/setup) finds nothing to say about a scrape.</summary>
    [Fact]
    public async Task Promtool_finds_the_metrics_clean()
    {
        var body = await Scrape();
        var info = new ProcessStartInfo("promtool", ["check", "metrics"])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        using var promtool = Process.Start(info) ?? throw new InvalidOperationException("promtool did not start (run scripts/setup)");
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(body);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync();
        var said = (await stdout) + (await stderr);
        Assert.True(promtool.ExitCode == 0 && said.Length == 0, $"promtool exit {promtool.ExitCode}:\n{said}\n--- scraped:\n{body}");
    }

    [Fact]
    public void A_metrics_port_in_use_is_one_clear_error()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var endPoint = (IPEndPoint)taken.LocalEndpoint;
        var error = Assert.Throws<KecleonException>(() => MetricsServer.Start(endPoint, new DaemonMetrics(ConfigAndEndpointTests.Sample)));
        Assert.StartsWith($"cannot serve metrics on {endPoint}", error.Message);
        Assert.DoesNotContain("\n", error.Message);
    }
}
