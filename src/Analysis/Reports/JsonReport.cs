using System.Text;
using System.Text.Json;
using Kecleon.Access;
using Kecleon.Analyses;
using Kecleon.Bpf;
using Kecleon.Maps;

namespace Kecleon.Reports;

/// <summary>
/// The analysis as JSON (<c>kecleon analyze --json</c>; docs/json.md, docs/schemas/analyze.schema.json). Written field by
/// field with a <see cref="Utf8JsonWriter"/> rather than serialised from the model, so the schema changes only when this
/// file does (and no reflection is involved).
/// </summary>
public static class JsonReport
{
    public const int SchemaVersion = JsonOutput.SchemaVersion;

    public static string Render(ProgramAnalysis analysis)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, JsonOutput.Writer))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", SchemaVersion);
            json.WriteString("object", analysis.ObjectName);
            json.WriteStartArray("programs");
            foreach (var program in analysis.Programs)
                WriteProgram(json, program);
            json.WriteEndArray();
            json.WriteStartArray("maps");
            foreach (var summary in analysis.MapAccess)
                WriteMap(json, summary);
            json.WriteEndArray();
            json.WriteStartArray("helper_calls");
            foreach (var site in analysis.HelperCalls)
                WriteSite(json, site, analysis);
            json.WriteEndArray();
            WriteChain(json, analysis.Chain);
            json.WriteStartArray("findings");
            foreach (var finding in analysis.Findings)
            {
                json.WriteStartObject();
                json.WriteString("kind", finding.KindName.Replace('-', '_'));
                json.WriteString("where", finding.Where);
                json.WriteString("message", finding.Message);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteProgram(Utf8JsonWriter json, ProgramInfo program)
    {
        json.WriteStartObject();
        json.WriteString("name", program.Name);
        json.WriteString("section", program.Section);
        if (program.Type is { } type)
            json.WriteString("type", JsonNamingPolicy.SnakeCaseLower.ConvertName(type.ToString()));
        else
            json.WriteNull("type");
        WriteStrings(json, "functions", program.Functions.Select(f => f.Name));
        json.WriteNumber("blocks", program.BlockCount);
        json.WriteNumber("instructions", program.InstructionCount);
        if (program.BpfInstructionCount is { } bpf)
            json.WriteNumber("bpf_instructions", bpf);
        else
            json.WriteNull("bpf_instructions");
        json.WriteStartArray("loops");
        foreach (var (function, loop) in program.Loops)
        {
            json.WriteStartObject();
            json.WriteString("function", function.Name);
            json.WriteString("header", loop.Header.Label);
            json.WriteNumber("blocks", loop.Blocks.Count);
            json.WriteNumber("depth", loop.Depth);
            json.WriteNumber("exits", loop.Exits.Count);
            if (loop.Bound is { } bound)
                json.WriteString("bound", bound);
            else
                json.WriteNull("bound");
            json.WriteEndObject();
        }
        json.WriteEndArray();
        WriteStrings(json, "maps", program.Maps.Select(m => m.Name));
        WriteNumbers(json, "helper_calls", program.HelperCalls.Select(s => s.Index));
        WriteNumbers(json, "tail_calls", program.TailCalls.Select(s => s.Index));
        json.WriteNumber("core_relocations", program.CoreRelocations);
        json.WriteEndObject();
    }

    /// <summary>The service chain: <c>{"stages": [{"name", "entry", "slots"}], "slots_origin", "slots": [{"map", "slot",
    /// "program", "origin"}], "tail_calls": [{"site", "caller", "maps", "slot", "location", "callees"}]}</c>, empty
    /// arrays without tail calls.</summary>
    private static void WriteChain(Utf8JsonWriter json, ServiceChainView chain)
    {
        json.WriteStartObject("chain");
        json.WriteStartArray("stages");
        foreach (var stage in chain.Stages)
        {
            json.WriteStartObject();
            json.WriteString("name", stage.Name);
            json.WriteBoolean("entry", chain.Entries.Contains(stage));
            WriteStrings(json, "slots", chain.Slots.Where(s => s.Program == stage.Name).Select(s => $"{s.Map}[{s.Slot}]"));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("slots_origin", chain.SlotsOrigin);
        json.WriteStartArray("slots");
        foreach (var slot in chain.Slots)
        {
            json.WriteStartObject();
            json.WriteString("map", slot.Map);
            json.WriteNumber("slot", slot.Slot);
            json.WriteString("program", slot.Program);
            json.WriteString("origin", slot.Origin.ToString().ToLowerInvariant());
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("tail_calls");
        foreach (var site in chain.Sites)
        {
            json.WriteStartObject();
            json.WriteNumber("site", site.Site.Index);
            json.WriteString("caller", site.Caller.Name);
            WriteStrings(json, "maps", site.Site.Maps.Select(m => m.Name));
            if (site.Slot is { } slot)
                json.WriteNumber("slot", slot);
            else
                json.WriteNull("slot");
            json.WriteString("location", site.Location);
            WriteStrings(json, "callees", chain.Edges.Where(e => e.From == site).Select(e => e.Callee.Name));
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteMap(Utf8JsonWriter json, MapAccessSummary summary)
    {
        var map = summary.Map;
        json.WriteStartObject();
        json.WriteString("name", map.Name);
        json.WriteString("type", map.TypeName);
        json.WriteString("access", summary.Access.JsonName());
        json.WriteString("origin", map.Origin == MapOrigin.Defined ? "defined" : "global_data");
        if (map.Section is { } section)
            json.WriteString("section", section);
        else
            json.WriteNull("section");
        WriteStrings(json, "globals", map.Globals.Select(g => g.Name));
        json.WriteNumber("key_size", map.KeySize);
        json.WriteNumber("value_size", map.ValueSize);
        json.WriteNumber("max_entries", map.MaxEntries);
        WriteStrings(json, "flags", FlagNames(map.Flags));
        json.WriteBoolean("per_cpu", map.IsPerCpu);
        json.WriteBoolean("mmapable", map.IsMmapable);
        json.WriteBoolean("read_only_for_programs", map.IsReadOnlyForPrograms);
        json.WriteBoolean("map_in_map", map.IsMapInMap);
        WriteStrings(json, "inner_maps", map.InitialInnerMaps);
        WriteEvidence(json, "evidence", summary.Evidence);
        if (summary.WrittenKeys is { } keys)
        {
            json.WriteStartArray("written_keys");
            foreach (var written in keys)
                WriteKeyClass(json, null, written);
            json.WriteEndArray();
        }
        else
        {
            json.WriteNull("written_keys");
        }
        if (summary.NoKeyClasses is { } noKeyClasses)
            json.WriteString("no_key_classes", noKeyClasses);
        else
            json.WriteNull("no_key_classes");
        json.WriteEndObject();
    }

    private static void WriteSite(Utf8JsonWriter json, Helpers.HelperCallSite site, ProgramAnalysis analysis)
    {
        json.WriteStartObject();
        json.WriteNumber("index", site.Index);
        json.WriteString("helper", site.Helper.Name);
        json.WriteNumber("helper_id", site.Helper.Id);
        json.WriteString("function", site.Function.Name);
        json.WriteString("location", site.Location);
        json.WriteString("block", analysis.ControlFlow(site.Function).BlockOf(site.Call).Label);
        WriteStrings(json, "maps", site.Maps.Select(m => m.Name));
        if (site.InnerMapOf is { } outer)
            json.WriteString("inner_map_of", outer);
        else
            json.WriteNull("inner_map_of");
        json.WriteBoolean("lookup", site.IsLookup);
        json.WriteString("access", site.Access.JsonName());
        if (site.Key is { } key)
        {
            json.WriteStartObject("key");
            json.WriteString("kind", key.KindName.Replace('-', '_'));
            json.WriteString("description", key.Description);
            json.WriteStartArray("fields");
            foreach (var field in key.Fields)
            {
                json.WriteStartObject();
                json.WriteNumber("offset", field.Offset);
                json.WriteNumber("size", field.Size);
                json.WriteString("source", field.Source);
                json.WriteBoolean("constant", field.IsConstant);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("key");
        }
        if (site.KeyClass is { } keyClass)
            WriteKeyClass(json, "key_class", keyClass);
        if (site.IsLookup)
        {
            json.WriteStartObject("result");
            json.WriteString("access", site.ResultAccess.JsonName());
            var uses = site.Uses;
            json.WriteStartObject("uses");
            json.WriteNumber("loads", uses.Loads);
            json.WriteNumber("stores", uses.Stores);
            json.WriteNumber("atomics", uses.Atomics);
            json.WriteNumber("copies_out", uses.CopiesOut);
            json.WriteNumber("copies_in", uses.CopiesIn);
            json.WriteNumber("null_checks", uses.NullChecks);
            json.WriteNumber("helper_arguments", uses.HelperArguments);
            json.WriteNumber("escapes", uses.Escapes);
            json.WriteEndObject();
            WriteEvidence(json, "evidence", site.ResultEvidence);
            json.WriteEndObject();
        }
        else
        {
            json.WriteNull("result");
        }
        json.WriteEndObject();
    }

    /// <summary>What the data plane writes at one constant key: <c>{"key": "0", "access": "read_only" | "fields" | "written",
    /// "fields": [{"start", "end"}], "what", "sites"}</c>.</summary>
    private static void WriteKeyClass(Utf8JsonWriter json, string? name, KeyAccess keyClass)
    {
        if (name is null)
            json.WriteStartObject();
        else
            json.WriteStartObject(name);
        json.WriteString("key", keyClass.KeyText);
        json.WriteString("access", keyClass.IsReadOnly ? "read_only" : keyClass.Whole ? "written" : "fields");
        json.WriteStartArray("fields");
        foreach (var range in keyClass.Written)
        {
            json.WriteStartObject();
            json.WriteNumber("start", range.Start);
            json.WriteNumber("end", range.End);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("what", keyClass.What);
        json.WriteStartArray("sites");
        foreach (var site in keyClass.Sites)
            json.WriteNumberValue(site);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteEvidence(Utf8JsonWriter json, string name, IEnumerable<AccessEvidence> evidence)
    {
        json.WriteStartArray(name);
        foreach (var e in evidence)
        {
            json.WriteStartObject();
            json.WriteString("access", e.Access.JsonName());
            json.WriteString("reason", e.Reason);
            json.WriteString("where", e.Where);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteStringValue(value);
        json.WriteEndArray();
    }

    private static void WriteNumbers(Utf8JsonWriter json, string name, IEnumerable<int> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
            json.WriteNumberValue(value);
        json.WriteEndArray();
    }

    /// <summary>An access class as JSON spells it: <c>read_only</c>, <c>may_write</c>, <c>written</c>.</summary>
    private static string JsonName(this MapAccess access) => access.Name().Replace('-', '_');

    /// <summary>The kernel's names for the flags set (<c>BPF_F_RDONLY_PROG</c>, ...).</summary>
    internal static IEnumerable<string> FlagNames(BpfMapFlags flags)
    {
        foreach (var (flag, name) in FlagTable)
            if (flags.HasFlag(flag))
                yield return name;
    }

    private static readonly (BpfMapFlags Flag, string Name)[] FlagTable =
    [
        (BpfMapFlags.NoPrealloc, "BPF_F_NO_PREALLOC"), (BpfMapFlags.NoCommonLru, "BPF_F_NO_COMMON_LRU"),
        (BpfMapFlags.NumaNode, "BPF_F_NUMA_NODE"), (BpfMapFlags.ReadOnly, "BPF_F_RDONLY"), (BpfMapFlags.WriteOnly, "BPF_F_WRONLY"),
        (BpfMapFlags.ZeroSeed, "BPF_F_ZERO_SEED"), (BpfMapFlags.ReadOnlyProgram, "BPF_F_RDONLY_PROG"),
        (BpfMapFlags.WriteOnlyProgram, "BPF_F_WRONLY_PROG"), (BpfMapFlags.Clone, "BPF_F_CLONE"), (BpfMapFlags.Mmapable, "BPF_F_MMAPABLE"),
        (BpfMapFlags.PreserveElements, "BPF_F_PRESERVE_ELEMS"), (BpfMapFlags.InnerMap, "BPF_F_INNER_MAP"),
    ];
}
