using System.Text.Json.Serialization;

namespace Kecleon.Cli.Commands;

/// <summary>
/// The serialization metadata of what the commands print with <c>--json</c>, generated at build time (no reflection, safe
/// to trim and compile ahead of time). The style is <see cref="JsonOutput"/>'s: snake_case names, enums as snake_case
/// strings, a field that does not apply left out rather than written as null. A command's JSON type is registered
/// here and documented in docs/json.md with its schema in docs/schemas/.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(OptimizeJson))]
[JsonSerializable(typeof(RestoreJson))]
internal sealed partial class CliJson : JsonSerializerContext;

/// <summary><c>kecleon optimize --json</c> (docs/schemas/optimize.schema.json). Which fields are there depends on what was
/// done: a swap, a dry run, nothing to specialize, or a restore.</summary>
internal sealed class OptimizeJson
{
    [JsonPropertyOrder(-1)]
    public int SchemaVersion { get; init; } = JsonOutput.SchemaVersion;
    public bool DryRun { get; set; }
    public bool? Specialized { get; set; }
    public string? Program { get; set; }
    public string? Profile { get; set; }
    public IReadOnlyList<Step>? Steps { get; set; }
    public IReadOnlyList<Map>? Maps { get; set; }
    public IReadOnlyList<LeftAloneMap>? LeftAlone { get; set; }
    public IReadOnlyList<Writer>? OtherWriters { get; set; }
    public int? InstructionsBefore { get; set; }
    public int? InstructionsAfter { get; set; }
    public Stages? StageMs { get; set; }
    public int? CheckPackets { get; set; }
    public int? Mismatches { get; set; }
    public SwapDone? Swap { get; set; }
    public uint? OriginalProgramId { get; set; }
    public string? PinDirectory { get; set; }
    public string? RestoreCommand { get; set; }
    public string? GuardHook { get; set; }
    public int? GuardsRegistered { get; set; }
    public string? Emitted { get; set; }
    public IReadOnlyList<string> Notes { get; set; } = [];

    public sealed record Step(string Pass, string What, string Where, bool Applied);

    public sealed record Map(string Name, string Type, int Entries, int GuardSlot, ulong GuardVersion);

    public sealed record LeftAloneMap(string Map, string Reason);

    public sealed record Writer(uint ProgramId, string Name, IReadOnlyList<string> Maps);

    public sealed record Stages(double Parse, double Analyze, double Snapshot, double Passes, double Optimize,
        [property: JsonPropertyName("codegen")] double CodeGen, double Load, double Check);

    public sealed record SwapDone(string Hook, string Mechanism, uint FromProgramId, uint ToProgramId, double LatencyMs);
}
