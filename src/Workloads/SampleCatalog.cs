namespace Kecleon.Workloads;

/// <summary>The bundled network functions, by name.</summary>
public static class SampleCatalog
{
    /// <summary>
    /// The ingress_ifindex BPF_PROG_TEST_RUN gives a program when no ctx_in is
    /// passed: the loopback device, 1. Traces and known packets assume it
    /// (it is the switch's port 1 and the router's local interface).
    /// </summary>
    public const uint TestRunIngressIfindex = 1;

    public static IReadOnlyList<INetworkFunctionSample> All { get; } =
    [
        new RouterSample(),
        new SwitchSample(),
        new BalancerSample(),
        new FirewallSample(),
        new DdosSample(),
        new ChainSample(),
    ];

    public static INetworkFunctionSample Get(string name) =>
        TryGet(name, out var sample)
            ? sample
            : throw new ArgumentException(
                $"no sample named '{name}'; the samples are: {string.Join(", ", All.Select(s => s.Name))}", nameof(name));

    public static bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out INetworkFunctionSample? sample)
    {
        sample = All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
        return sample is not null;
    }
}
