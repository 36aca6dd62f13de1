using System.Text;
using Kecleon.Access;
using Kecleon.Analyses;

namespace Kecleon.Reports;

/// <summary>
/// The readable report of <c>kecleon analyze</c>: programs, maps with their access class and why, lookup sites with key
/// origins, loops, and what was not understood. Deterministic (no paths, no addresses), so golden tests can compare it.
/// </summary>
public static class TextReport
{
    public static string Render(ProgramAnalysis analysis)
    {
        var text = new StringBuilder();
        text.Append("object ").Append(analysis.ObjectName).Append('\n');

        text.Append("\nprograms\n");
        foreach (var program in analysis.Programs)
        {
            text.Append($"  {program.Name}  section {program.Section}");
            if (program.Type is { } type)
                text.Append($", type {type.ToString().ToLowerInvariant()}");
            text.Append($", {program.Functions.Count} function(s), {program.BlockCount} blocks, {program.InstructionCount} IR instructions");
            if (program.BpfInstructionCount is { } bpf)
                text.Append($", {bpf} BPF instructions");
            text.Append('\n');
            if (program.Functions.Count > 1)
                text.Append($"    calls: {string.Join(", ", program.Functions.Skip(1).Select(f => f.Name))}\n");
            foreach (var (function, loop) in program.Loops)
                text.Append($"    loop in {function.Name} at {loop.Header.Label}: {loop.Blocks.Count} blocks, depth {loop.Depth}, " +
                            $"{loop.Exits.Count} exit(s), bound: {loop.Bound ?? "not recognised"}\n");
            if (program.Maps.Count > 0)
                text.Append($"    maps: {string.Join(", ", program.Maps.Select(m => m.Name))}\n");
            var tails = program.TailCalls.ToList();
            if (tails.Count > 0)
                text.Append($"    tail calls: {string.Join(", ", tails.Select(t => $"#{t.Index} via {t.MapNames}"))}\n");
        }

        AppendChain(text, analysis.Chain);

        text.Append("\nmaps\n");
        foreach (var summary in analysis.MapAccess)
        {
            var map = summary.Map;
            var flags = new List<string>();
            if (map.IsPerCpu)
                flags.Add("per-cpu");
            if (map.IsMmapable)
                flags.Add("mmapable");
            if (map.IsReadOnlyForPrograms)
                flags.Add("rdonly-prog");
            if (map.IsMapInMap)
                flags.Add("map-in-map");
            if (map.Origin == Maps.MapOrigin.GlobalData)
                flags.Add($"global data {map.Section}: {string.Join(", ", map.Globals.Select(g => g.Name))}");
            text.Append($"  {map.Name}  {map.TypeName}  key {map.KeySize} value {map.ValueSize} max {map.MaxEntries}" +
                        $"{(flags.Count > 0 ? "  [" + string.Join("; ", flags) + "]" : "")}\n");
            text.Append($"    access: {summary.Access.Name()}\n");
            foreach (var evidence in summary.Evidence)
                text.Append($"      - {evidence}\n");
            if (summary.WrittenKeys is { } keys)
            {
                text.Append("    per key: written at constant keys only; other constant keys are read-only\n");
                foreach (var written in keys)
                    text.Append($"      - key {written.KeyText}: {written.WrittenText} (#{string.Join(", #", written.Sites)})\n");
            }
            if (map.InitialInnerMaps.Count > 0)
                text.Append($"    inner maps: {string.Join(", ", map.InitialInnerMaps)}\n");
        }

        text.Append("\nhelper calls\n");
        foreach (var site in analysis.HelperCalls)
        {
            text.Append($"  #{site.Index} {site.Helper.Name}");
            if (site.Maps.Count > 0 || site.InnerMapOf is not null)
                text.Append($"({site.MapNames})");
            text.Append($" in {site.Function.Name}{(site.Location.Length > 0 ? $" at {site.Location}" : "")}");
            if (site.IsLookup)
                text.Append($"  -> {site.ResultAccess.Name()}");
            text.Append('\n');
            if (site.Key is { } key)
                text.Append($"    key: {key}\n");
            if (site.KeyClass is { } keyClass)
                text.Append($"    key {keyClass.KeyText} of {site.MapNames}: {keyClass.WrittenText}\n");
            if (site.IsLookup)
            {
                text.Append($"    result: {site.Uses}\n");
                foreach (var evidence in site.ResultEvidence)
                    text.Append($"      - {evidence}\n");
            }
        }

        var findings = analysis.Findings;
        text.Append("\nnot understood\n");
        var notUnderstood = findings.Where(f => f.Kind == FindingKind.NotUnderstood).ToList();
        if (notUnderstood.Count == 0)
            text.Append("  (nothing)\n");
        foreach (var finding in notUnderstood)
            text.Append($"  - {(finding.Where.Length > 0 ? finding.Where + ": " : "")}{finding.Message}\n");
        var notes = findings.Where(f => f.Kind == FindingKind.Note).ToList();
        if (notes.Count > 0)
        {
            text.Append("\nnotes\n");
            foreach (var note in notes)
                text.Append($"  - {(note.Where.Length > 0 ? note.Where + ": " : "")}{note.Message}\n");
        }
        return text.ToString();
    }

    /// <summary>The stages of a service chain, its slots and who tail-calls whom (nothing without tail calls or slots).</summary>
    private static void AppendChain(StringBuilder text, ServiceChainView chain)
    {
        if (chain.IsEmpty)
            return;
        text.Append("\nchain\n");
        var slotOf = chain.Slots.GroupBy(s => s.Program).ToDictionary(g => g.Key, g => string.Join(", ", g.Select(s => $"{s.Map}[{s.Slot}]")));
        text.Append($"  stages: {string.Join(", ", chain.Stages.Select(p => $"{p.Name} ({(slotOf.TryGetValue(p.Name, out var at) ? at : "entry")})"))}\n");
        text.Append($"  slots ({chain.SlotsOrigin}): {(chain.Slots.Count == 0 ? "none known" : string.Join(", ", chain.Slots.Select(s => $"{s.Map}[{s.Slot}] = {s.Program}")))}\n");
        foreach (var site in chain.Sites)
        {
            var callees = chain.Edges.Where(e => e.From == site).Select(e => e.Callee.Name).ToList();
            text.Append($"  #{site.Site.Index} {site.Caller.Name} -> {site.Target}{(site.Slot is null ? " (computed index)" : "")}")
                .Append(site.Location.Length > 0 ? $" at {site.Location}" : "")
                .Append($": {(callees.Count > 0 ? string.Join(" | ", callees) : "no known program (the call fails and the stage goes on)")}\n");
        }
    }
}
