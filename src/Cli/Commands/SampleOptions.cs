using System.CommandLine;
using Kecleon.Workloads;

namespace Kecleon.Cli.Commands;

/// <summary>Options naming bundled samples, traffic localities and seeds.</summary>
internal static class SampleOptions
{
    /// <summary>The optional program argument of commands that otherwise run a bundled sample.</summary>
    public static Argument<string?> OwnProgram() => new("input")
    {
        Description = "Your own program (.c, .ll, .bc or .o with .llvmbc; give --pcap with it), or sample:NAME (as --sample NAME). Without it, a bundled sample runs",
        Arity = ArgumentArity.ZeroOrOne,
    };

    /// <summary><c>--program</c>: which program of the user's object, when it holds several.</summary>
    public static Option<string?> Program() => new("--program")
    {
        Description = "Which program of INPUT, when its object holds several (default: the only XDP or TC one)",
    };

    /// <summary>The bundled samples' names, the values <c>--sample</c> takes (with <c>all</c>).</summary>
    public static string[] SampleNames => [.. SampleCatalog.All.Select(s => s.Name)];

    public static Option<string> Sample(string defaultValue = "router") => new Option<string>("--sample")
    {
        Description = "A bundled network function (or 'all')",
        DefaultValueFactory = _ => defaultValue,
    }.OneOf([.. SampleNames, "all"]);

    public static Option<string> Locality(string defaultValue = "high") => new Option<string>("--locality")
    {
        Description = "Traffic locality: high (steep Zipf), low (flat Zipf), none (uniform), or 'all'",
        DefaultValueFactory = _ => defaultValue,
    }.OneOf("high", "low", "none", "all");

    public static Option<int> Seed() => new("--seed") { Description = "Seed for control-plane data and traffic", DefaultValueFactory = _ => 1 };

    public static Option<int> Packets(int defaultValue) => new Option<int>("--packets")
    {
        Description = $"Packets in a generated trace (1 to {OptionRange.MaxPackets:N0})",
        DefaultValueFactory = _ => defaultValue,
    }.Within(1, OptionRange.MaxPackets);

    /// <summary>The samples <paramref name="name"/> names (a name, <c>sample:NAME</c>, or <c>all</c>).</summary>
    public static IReadOnlyList<INetworkFunctionSample> Samples(string name) =>
        InputName.IsSample(name) ? [InputName.SampleNamed(name)]
        : name.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? SampleCatalog.All
            : SampleCatalog.TryGet(name, out var sample)
                ? [sample]
                : throw new UsageException($"no sample named '{name}'; the samples are: {string.Join(", ", SampleCatalog.All.Select(s => s.Name))}");

    /// <summary>One sample, for commands that run one at a time ('all' is a usage error).</summary>
    public static INetworkFunctionSample One(string name, string command) =>
        Samples(name) is [var sample]
            ? sample
            : throw new UsageException($"{command} runs one sample at a time: give --sample {string.Join(", ", SampleCatalog.All.Select(s => s.Name))}, not '{name}'");

    public static IReadOnlyList<Locality> Localities(string name) =>
        name.Equals("all", StringComparison.OrdinalIgnoreCase)
            ? Enum.GetValues<Locality>()
            : Enum.TryParse<Locality>(name, ignoreCase: true, out var locality)
                ? [locality]
                : throw new UsageException($"no locality '{name}'; use high, low, none or all");

    /// <summary>One locality, for commands that generate one trace ('all' is a usage error).</summary>
    public static Locality OneLocality(string name, string command) =>
        Localities(name) is [var locality]
            ? locality
            : throw new UsageException($"{command} generates one trace: give --locality high, low or none, not '{name}'");
}
