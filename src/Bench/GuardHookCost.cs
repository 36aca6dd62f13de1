using System.Diagnostics;
using Kecleon.FrontEnd;
using Kecleon.Runtime.Deployment;
using Kecleon.Runtime.Guards;

namespace Kecleon.Bench;

/// <summary>One system call timed with the guard hook detached and attached.</summary>
public sealed record GuardHookCall(string Call, double DetachedNs, double AttachedNs)
{
    public double AddedNs => AttachedNs - DetachedNs;
}

/// <summary>
/// What the attached guard hook costs system calls (<c>kecleon bench --guard-hook</c>): each call timed with the hook
/// detached (the table open, nothing registered) and attached (a map registered), the two states interleaved, each the
/// best of its batches of 1,000 calls over several rounds: on a machine shared with other work, a batch that was not
/// preempted is the cost of the call. The numbers in docs/guards.md come from here.
/// </summary>
public static class GuardHookCost
{
    private const int Batch = 1_000;

    private const string Maps = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>
        char LICENSE[] SEC("license") = "GPL";
        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u64); } guarded SEC(".maps");
        struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 64); __type(key, __u32); __type(value, __u64); } unguarded SEC(".maps");

        SEC("xdp")
        int use(struct xdp_md *ctx)
        {
        	__u32 key = 0;
        	return bpf_map_lookup_elem(&guarded, &key) || bpf_map_lookup_elem(&unguarded, &key) ? XDP_DROP : XDP_PASS;
        }
        """;

    public static IReadOnlyList<GuardHookCall> Measure(int calls = 1_000_000, int rounds = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(calls, Batch);
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var source = Path.Combine(Path.GetTempPath(), $"kecleon-guard-hook-{Environment.ProcessId}-{Guid.NewGuid():N}.c");
        using (var file = new FileStream(source, FileMode.CreateNew)) // never through something already there
            file.Write(System.Text.Encoding.UTF8.GetBytes(Maps));
        byte[] elf;
        try
        {
            elf = ProgramSource.Read(source).BuildBaselineObject();
        }
        finally
        {
            File.Delete(source);
        }
        using var table = GuardTable.Open();
        using var maps = LoadedVariant.Load("guard-hook", elf, "use");
        var guarded = maps.Object.Map("guarded");
        var unguarded = maps.Object.Map("unguarded");
        var key = BitConverter.GetBytes(1u);
        var value = BitConverter.GetBytes(1UL);
        guarded.Update(key, value);
        unguarded.Update(key, value);
        var workloads = new (string Name, Action Call)[]
        {
            ("stat (unrelated syscall)", () => Directory.Exists("/")),
            ("bpf MAP_LOOKUP_ELEM", () => unguarded.Lookup(key)),
            ("bpf MAP_UPDATE_ELEM, unguarded map", () => unguarded.Update(key, value)),
            ("bpf MAP_UPDATE_ELEM, guarded map", () => guarded.Update(key, value)),
        };
        var best = new double[workloads.Length, 2];
        for (var i = 0; i < workloads.Length; i++)
            best[i, 0] = best[i, 1] = double.MaxValue;
        for (var round = 0; round < rounds; round++)
            for (var attached = 0; attached < 2; attached++)
            {
                var slot = attached == 1 ? table.Register(guarded) : -1;
                try
                {
                    if (table.IsAttached != (attached == 1))
                        throw new KecleonException($"the guard hook is {(table.IsAttached ? "attached" : "detached")} where it should not be");
                    for (var w = 0; w < workloads.Length; w++)
                        best[w, attached] = Math.Min(best[w, attached], NanosecondsPerCall(workloads[w].Call, calls));
                }
                finally
                {
                    if (slot >= 0)
                        table.Unregister(slot);
                }
            }
        return workloads.Select((w, i) => new GuardHookCall(w.Name, best[i, 0], best[i, 1])).ToList();
    }

    private static double NanosecondsPerCall(Action call, int calls)
    {
        for (var i = 0; i < 10_000; i++)
            call();
        var best = double.MaxValue;
        for (var batch = 0; batch < calls / Batch; batch++)
        {
            var watch = Stopwatch.StartNew();
            for (var i = 0; i < Batch; i++)
                call();
            best = Math.Min(best, watch.Elapsed.TotalNanoseconds / Batch);
        }
        return best;
    }

    public static string Text(IReadOnlyList<GuardHookCall> calls)
    {
        var text = new System.Text.StringBuilder();
        text.AppendLine(System.FormattableString.Invariant($"  {"call",-36} {"detached ns",12} {"attached ns",12} {"added ns",9}"));
        foreach (var c in calls)
            text.AppendLine(System.FormattableString.Invariant($"  {c.Call,-36} {c.DetachedNs,12:F1} {c.AttachedNs,12:F1} {c.AddedNs,9:F1}"));
        return text.ToString();
    }

    /// <summary><c>kecleon bench --guard-hook --json</c> (docs/json.md): ns per call, detached, attached and added.</summary>
    public static string Json(IReadOnlyList<GuardHookCall> calls) => JsonOutput.Render(new System.Text.Json.Nodes.JsonObject
    {
        ["guard_hook"] = new System.Text.Json.Nodes.JsonArray([.. calls.Select(c => (System.Text.Json.Nodes.JsonNode)new System.Text.Json.Nodes.JsonObject
        {
            ["call"] = c.Call,
            ["detached_ns_per_call"] = Math.Round(c.DetachedNs, 1),
            ["attached_ns_per_call"] = Math.Round(c.AttachedNs, 1),
            ["added_ns_per_call"] = Math.Round(c.AddedNs, 1),
        })]),
    });
}
