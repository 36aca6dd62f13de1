using System.Text.Json;
using System.Text.Json.Serialization;

namespace Kecleon.Daemon;

/// <summary>What to do with the optimized programs when the daemon stops.</summary>
[JsonConverter(typeof(SnakeCaseEnumConverter<ShutdownPolicy>))]
public enum ShutdownPolicy
{
    /// <summary>Leave the optimized programs attached: their guards keep them correct (the guard hook stays pinned).</summary>
    Keep,
    /// <summary>Put every original program back on its hook.</summary>
    Restore,
}

/// <summary>One data plane the daemon keeps optimized.</summary>
public sealed record TargetConfig
{
    /// <summary>A short name for status, metrics and logs (letters, digits, '-', '_').</summary>
    public required string Name { get; init; }
    /// <summary>The program's IR: C, <c>.ll</c>, <c>.bc</c> or an object built with <c>-fembed-bitcode</c>; or
    /// <c>sample:NAME</c> for a bundled sample.</summary>
    public required string Source { get; init; }
    /// <summary>The entry function (BPF program name), when the source has several and the hook does not say which (a
    /// hook's program is found by its name and proved by its tag).</summary>
    public string? Program { get; init; }
    /// <summary>The hook: an interface whose XDP program to optimize …</summary>
    public string? Interface { get; init; }
    /// <summary>With <see cref="Interface"/>: the daemon owns the interface, and loads <see cref="Source"/> (empty maps)
    /// and attaches it when no XDP program is there. Without it, an interface with no program is reported and left as
    /// it is: a program someone detached is not replaced behind their back.</summary>
    public bool Attach { get; init; }
    /// <summary>… or a pinned bpf_link …</summary>
    public string? Pin { get; init; }
    /// <summary>… or a loaded program's id (another loader's program: its maps are matched by name), found on its XDP
    /// or tcx link, netlink XDP attachment or cls_bpf filter …</summary>
    public uint? ProgramId { get; init; }
    /// <summary>… or an interface's TC hook, <c>"IFACE ingress"</c> or <c>"IFACE egress"</c>: the tcx link or cls_bpf
    /// filter there (with <see cref="Attach"/>, the source is attached with a tcx link when none is).</summary>
    public string? Tc { get; init; }
    /// <summary>The network namespace (an <c>ip netns</c> name, or a path such as <c>/proc/PID/ns/net</c>) of the
    /// interface; with <see cref="ProgramId"/>, the one namespace searched (default: every one).</summary>
    public string? Netns { get; init; }
    /// <summary>Extra clang flags for C sources.</summary>
    public IReadOnlyList<string> ClangFlags { get; set; } = [];
    /// <summary>Traces of the target's traffic (pcap: one path, or a list) whose frames every differential check runs too.</summary>
    [JsonConverter(typeof(OneOrManyConverter))]
    public IReadOnlyList<string> Pcap { get; set; } = [];

    /// <summary>With <see cref="Interface"/> or <see cref="Tc"/>: the program there is the entry of a service chain, and
    /// every program it reaches through its PROG_ARRAYs (a stage in a slot) is kept optimized too, each in its place.</summary>
    public bool Chain { get; set; }

    /// <summary>… or a pinned PROG_ARRAY: the programs in its slots (with <see cref="Slot"/>, in that slot only), each
    /// kept optimized in its slot.</summary>
    public string? ProgArray { get; init; }

    /// <summary>With <see cref="ProgArray"/>: the one slot to keep optimized.</summary>
    public uint? Slot { get; init; }

    /// <summary>With <see cref="Chain"/>: fuse the chain into its entry (each tail call to a known slot replaced by the
    /// stage's body, guarded by the PROG_ARRAY's version) instead of optimizing each stage alone.</summary>
    public bool Fuse { get; set; }

    /// <summary>A stage the daemon found in a chain: the PROG_ARRAY (by id) and slot whose program it keeps optimized.
    /// Not read from the file.</summary>
    [JsonIgnore]
    public (uint MapId, uint Slot)? StageSlot { get; init; }

    /// <summary>Whether the target is a chain (its stages found live) rather than one program.</summary>
    [JsonIgnore]
    public bool IsChain => Chain || ProgArray is not null;

    public string Hook => (StageSlot is { } s ? $"slot {s.Slot} of PROG_ARRAY map id {s.MapId}" :
        ProgArray is not null ? (Slot is { } slot ? $"slot {slot} of PROG_ARRAY {ProgArray}" : $"the slots of PROG_ARRAY {ProgArray}") :
        (Chain ? "the chain from " : "") +
        (Interface is not null ? $"interface {Interface}" : Tc is not null ? $"TC {TcParts.Direction} of {TcParts.Interface}" :
        Pin is not null ? $"pin {Pin}" : $"program id {ProgramId}")) + (Netns is not null ? $" in netns {Netns}" : "");

    /// <summary><see cref="Tc"/> split: the interface and the direction (as written; <see cref="DaemonConfig.Validated"/> checks them).</summary>
    public (string Interface, string Direction) TcParts => Tc?.Split(' ', StringSplitOptions.RemoveEmptyEntries) is [var iface, var direction]
        ? (iface, direction) : (Tc ?? "", "");
}

/// <summary>The daemon's configuration file (JSON, snake_case names; see packaging/kecleon.json).</summary>
/// <remarks>Here and in <see cref="TargetConfig"/>, members with a default have setters, not init: the JSON source
/// generator sets every init-only member when it builds the object, so an absent key would lose its default.</remarks>
public sealed record DaemonConfig
{
    public IReadOnlyList<TargetConfig> Targets { get; set; } = [];
    /// <summary>How often each target is re-profiled and re-specialized when nothing else happens.</summary>
    public TimeSpan Period { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long the instrumented program runs to collect a profile (zero: no profiling).</summary>
    public TimeSpan ProfileWindow { get; set; } = TimeSpan.FromSeconds(2);
    /// <summary>Fallback only: how often the guard versions are read when the guard hook's notifications cannot be
    /// (the daemon otherwise sleeps until the hook wakes it).</summary>
    public TimeSpan GuardPoll { get; set; } = TimeSpan.FromMilliseconds(2);
    /// <summary>After a write woke the daemon: further writes that come within this of each other join the same
    /// re-specialization (zero: none wait).</summary>
    public TimeSpan Coalesce { get; set; } = TimeSpan.FromMilliseconds(1);
    /// <summary>The longest a burst is coalesced for, so that a steady stream of writes is still answered.</summary>
    public TimeSpan CoalesceMax { get; set; } = TimeSpan.FromMilliseconds(10);
    /// <summary>Keep specialized tables (LPM range tables, hot-key tables) as data the program reads, and apply a write to
    /// their maps by rewriting the inactive copy and flipping (<c>InPlaceUpdate</c>); false: every write rebuilds the
    /// program.</summary>
    public bool InPlace { get; set; } = true;
    /// <summary>Probe packets for the check of a re-specialization after a map write: every changed key is probed,
    /// and this many of the rest (a full cycle probes every specialized key).</summary>
    public int RespecializeProbes { get; set; } = 256;
    /// <summary>Of the check's other packets (the configured ones and those sampled from live traffic), how many the
    /// check of a re-specialization after a map write runs: an even sample (0: all of them). The build that puts the
    /// profiling path back once the writes pause runs them all.</summary>
    public int RespecializeCheckPackets { get; set; } = 256;
    /// <summary>How long the live program is measured (kernel bpf_stats) after a swap before deciding to keep it.</summary>
    public TimeSpan Watch { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Roll back when the optimized program's ns/packet is above the replaced one's times this.</summary>
    public double RollbackAbove { get; set; } = 1.05;
    /// <summary>The first retry delay after a failure; doubles up to <see cref="MaxBackoff"/>. A verifier rejection or a
    /// failed differential check waits <see cref="MaxBackoff"/> at once (the same inputs fail the same way).</summary>
    public TimeSpan Backoff { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>Compilations that may run at once (the rest wait): bounds the daemon's CPU.</summary>
    public int MaxParallelCompiles { get; set; } = 1;
    public ShutdownPolicy OnShutdown { get; set; } = ShutdownPolicy.Keep;
    /// <summary>The status socket (a Unix socket only root can open).</summary>
    public string StatusSocket { get; set; } = DefaultStatusSocket;
    /// <summary>Prometheus metrics on this loopback address (empty: off).</summary>
    public string Metrics { get; set; } = "127.0.0.1:9464";
    /// <summary>Where pins live (links, originals, the guard table).</summary>
    public string PinRoot { get; set; } = "/sys/fs/bpf/kecleon";

    public const string DefaultStatusSocket = "/run/kecleon/kecleon.sock";

    public static DaemonConfig Load(string path) =>
        JsonFile.Read(path, DaemonConfigJson.Default.DaemonConfig, "a daemon configuration", "See packaging/kecleon.json for an example.").Validated(path);

    /// <summary>The configuration as a file <see cref="Load"/> reads.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, DaemonConfigJson.Default.DaemonConfig);

    /// <summary>Checks the configuration as a whole and says what is wrong with it.</summary>
    public DaemonConfig Validated(string origin)
    {
        var problems = new List<string>();
        // JSON null reaches here for any field: name it rather than fail on it.
        if (Targets is null || Targets.Count == 0)
            problems.Add("no targets: name at least one program to optimize under \"targets\"");
        if (Targets?.Any(t => t is null) == true)
            problems.Add("\"targets\" holds a null: each target is an object with \"name\", \"source\" and a hook");
        var targets = Targets?.Where(t => t is not null).ToList() ?? [];
        foreach (var t in targets)
        {
            if (t.ClangFlags is null || t.ClangFlags.Any(f => f is null))
                problems.Add($"target '{t.Name}': \"clang_flags\" must be a list of strings");
            if (t.Pcap is null || t.Pcap.Any(string.IsNullOrWhiteSpace))
                problems.Add($"target '{t.Name}': \"pcap\" must be the path of a pcap file, or a list of them");
            else if (t.Pcap.FirstOrDefault(p => !File.Exists(p)) is { } missing)
                problems.Add($"target '{t.Name}': \"pcap\": no such file {missing}");
            var hooks = (t.Interface is null ? 0 : 1) + (t.Tc is null ? 0 : 1) + (t.Pin is null ? 0 : 1) + (t.ProgramId is null ? 0 : 1) +
                        (t.ProgArray is null ? 0 : 1);
            if (string.IsNullOrWhiteSpace(t.Name) || !t.Name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
                problems.Add($"target name '{t.Name}': use letters, digits, '-' and '_'");
            if (hooks != 1)
                problems.Add($"target '{t.Name}': give exactly one of \"interface\", \"tc\", \"pin\", \"program_id\" and \"prog_array\"");
            problems.AddRange(ChainProblems(t));
            if (t.Attach && t.Interface is null && t.Tc is null)
                problems.Add($"target '{t.Name}': \"attach\": true needs \"interface\" or \"tc\" (the hook the daemon owns)");
            if (t.Tc is not null && t.TcParts.Direction is not ("ingress" or "egress"))
                problems.Add($"target '{t.Name}': \"tc\" is \"IFACE ingress\" or \"IFACE egress\", not \"{t.Tc}\"");
            if (t.Netns is not null && (string.IsNullOrWhiteSpace(t.Netns) || t.Pin is not null || t.ProgArray is not null))
                problems.Add($"target '{t.Name}': \"netns\" names the network namespace (a name from `ip netns list` or a path) of \"interface\", \"tc\" or \"program_id\"");
            if (string.IsNullOrWhiteSpace(t.Source))
                problems.Add($"target '{t.Name}': \"source\" (the program's C, IR or object with embedded bitcode, or sample:NAME) is missing");
        }
        foreach (var duplicate in targets.GroupBy(t => t.Name ?? "").Where(g => g.Count() > 1))
            problems.Add($"target name '{duplicate.Key}' is used {duplicate.Count()} times");
        if (Period <= TimeSpan.Zero || GuardPoll <= TimeSpan.Zero || Watch < TimeSpan.Zero || ProfileWindow < TimeSpan.Zero)
            problems.Add("period and guard_poll must be positive, watch and profile_window not negative");
        if (Coalesce < TimeSpan.Zero || CoalesceMax < Coalesce)
            problems.Add("coalesce must not be negative and coalesce_max at least coalesce");
        if (Backoff <= TimeSpan.Zero || MaxBackoff < Backoff)
            problems.Add("backoff must be positive and max_backoff at least backoff");
        var longest = new[] { Period, GuardPoll, Coalesce, CoalesceMax, Watch, ProfileWindow, Backoff, MaxBackoff }.Max();
        if (longest > MaxDuration)
            problems.Add($"durations are at most {MaxDuration.TotalHours:0}h (one is {longest})");
        if (RespecializeProbes < 0)
            problems.Add("respecialize_probes must not be negative");
        if (RespecializeCheckPackets < 0)
            problems.Add("respecialize_check_packets must not be negative (0: all of the check's packets)");
        if (MaxParallelCompiles < 1)
            problems.Add("max_parallel_compiles must be at least 1");
        if (RollbackAbove < 1)
            problems.Add("rollback_above must be at least 1 (1.05: roll back when 5% slower)");
        if (SocketPathProblem(StatusSocket) is { } socketProblem)
            problems.Add($"status_socket {socketProblem}");
        if (string.IsNullOrWhiteSpace(PinRoot))
            problems.Add("pin_root is missing: give a folder on bpffs such as /sys/fs/bpf/kecleon");
        if (Metrics is null)
            problems.Add("metrics is null: give a loopback address and port such as 127.0.0.1:9464, or \"\" for none");
        else if (Metrics.Length > 0 && !TryParseLoopback(Metrics, out _))
            problems.Add($"metrics '{Metrics}': give a loopback address and port such as 127.0.0.1:9464 (metrics are never exposed beyond this host), or \"\" for none");
        if (problems.Count > 0)
            throw new InvalidInputException(problems is [var only]
                ? $"{origin} is not a valid daemon configuration: {only}"
                : $"{origin} is not a valid daemon configuration:\n  - {string.Join("\n  - ", problems)}");
        return this;
    }

    /// <summary>What is wrong with a target's chain keys (<c>chain</c>, <c>prog_array</c>, <c>slot</c>, <c>fuse</c>), each
    /// combination that is not supported named.</summary>
    private static IEnumerable<string> ChainProblems(TargetConfig t)
    {
        var name = $"target '{t.Name}'";
        if (t.Chain && (t.Pin is not null || t.ProgramId is not null))
            yield return $"{name}: \"chain\": true follows a chain from its entry on \"interface\" or \"tc\"; from \"pin\" or \"program_id\" it is not supported (name the entry's interface, or the PROG_ARRAY with \"prog_array\")";
        if (t.Chain && t.ProgArray is not null)
            yield return $"{name}: give \"chain\": true with the entry's \"interface\" or \"tc\", or \"prog_array\" alone (its slots are the stages), not both";
        if (t.Slot is not null && t.ProgArray is null)
            yield return $"{name}: \"slot\" picks one slot of \"prog_array\"; give the PROG_ARRAY's pin too";
        if (t.ProgArray is not null && string.IsNullOrWhiteSpace(t.ProgArray))
            yield return $"{name}: \"prog_array\" is the path of a pinned PROG_ARRAY, such as /sys/fs/bpf/chain_slots";
        if (t.Fuse && !t.Chain)
            yield return $"{name}: \"fuse\": true fuses a chain into its entry: it needs \"chain\": true and the entry's \"interface\" or \"tc\"" +
                         (t.ProgArray is not null ? " (a PROG_ARRAY alone has no entry to fuse into)" : "");
        if (t.IsChain && t.Attach)
            yield return $"{name}: \"attach\" does not load chains: load the chain as its framework does (the entry on the hook, the stages in their slots), then name it here";
        if (t.IsChain && t.Program is not null)
            yield return $"{name}: \"program\" is not used with a chain: each stage's program is picked from the source by the name of the program the kernel runs there";
    }

    /// <summary>Why <paramref name="path"/> cannot be a Unix socket's path, or null: the kernel holds at most 107 bytes
    /// of it (sun_path).</summary>
    public static string? SocketPathProblem(string? path) => path switch
    {
        null or "" => "is missing: give a path such as " + DefaultStatusSocket,
        _ when System.Text.Encoding.UTF8.GetByteCount(path) > MaxSocketPath =>
            $"'{path}' is {System.Text.Encoding.UTF8.GetByteCount(path)} bytes long; a Unix socket path holds at most {MaxSocketPath}",
        _ when path.EndsWith('/') => $"'{path}' names a folder; give the socket's file name",
        _ => null,
    };

    public const int MaxSocketPath = 107;

    /// <summary>The longest duration a setting takes (timers wait at most about 24.8 days).</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromHours(24);

    public static bool TryParseLoopback(string text, out System.Net.IPEndPoint endPoint) =>
        System.Net.IPEndPoint.TryParse(text, out endPoint!) && System.Net.IPAddress.IsLoopback(endPoint.Address) && endPoint.Port > 0;
}

/// <summary>Durations as people write them: <c>250ms</c>, <c>2s</c>, <c>5m</c>, <c>1h</c>, or <c>hh:mm:ss</c>.</summary>
internal sealed class DurationConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString()?.Trim() ?? "";
        if (TryParse(text, out var value))
            return value;
        throw new JsonException($"'{text}' is not a duration; write it like 250ms, 2s, 5m or 00:00:30.");
    }

    public static bool TryParse(string text, out TimeSpan value)
    {
        foreach (var (suffix, unit) in new[] { ("ms", 1.0), ("s", 1000.0), ("m", 60_000.0), ("h", 3_600_000.0) })
            if (text.EndsWith(suffix, StringComparison.Ordinal) &&
                double.TryParse(text[..^suffix.Length], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n))
            {
                // Past TimeSpan's range (about 29,000 years) or not a number: not a duration.
                var ms = n * unit;
                var representable = double.IsFinite(ms) && Math.Abs(ms) < TimeSpan.MaxValue.TotalMilliseconds / 2;
                value = representable ? TimeSpan.FromMilliseconds(ms) : default;
                return representable;
            }
        return TimeSpan.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out value);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.TotalSeconds >= 1 && value.Milliseconds == 0 ? $"{value.TotalSeconds:0}s" : $"{value.TotalMilliseconds:0.###}ms");
}

/// <summary>A JSON string or list of strings, read as a list (<c>"pcap": "a.pcap"</c> or <c>["a.pcap", "b.pcap"]</c>).</summary>
internal sealed class OneOrManyConverter : JsonConverter<IReadOnlyList<string>>
{
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Null => null,
            JsonTokenType.String => [reader.GetString()!],
            _ => JsonSerializer.Deserialize(ref reader, Strings(options)),
        };

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value.ToList(), Strings(options));

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<string>> Strings(JsonSerializerOptions options) =>
        (System.Text.Json.Serialization.Metadata.JsonTypeInfo<List<string>>)options.GetTypeInfo(typeof(List<string>));
}

/// <summary>The configuration file's format, generated at build time: snake_case names, comments and trailing commas
/// allowed, an unknown key an error (a typo must not pass as a default), durations as people write them.</summary>
[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    Converters = [typeof(DurationConverter)])]
[JsonSerializable(typeof(DaemonConfig))]
[JsonSerializable(typeof(List<string>))]
internal sealed partial class DaemonConfigJson : JsonSerializerContext;
