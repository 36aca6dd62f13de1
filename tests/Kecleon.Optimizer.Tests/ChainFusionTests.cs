using Kecleon.Analyses;
using Kecleon.FrontEnd;
using Kecleon.Llvm;
using Kecleon.Optimizer.CodeGen;
using Kecleon.Optimizer.Passes;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;
using Kecleon.Tests;
using Xunit;

namespace Kecleon.Optimizer.Tests;

/// <summary>
/// <see cref="ChainFusionPass"/> on <c>FusionFixtures/three_stages.c</c> (an entry, a filter in slot 1, a forwarder in
/// slot 2, a stage that tail-calls its own slot 3), kernel-free: what is inlined, folded and kept, that the module stays
/// valid with its debug information, and that the fused entry specializes and compiles as one guarded program.
/// </summary>
public sealed class ChainFusionTests : IDisposable
{
    private static readonly string Directory = Path.Combine(TestEnvironment.RepositoryRoot, "tests", "Kecleon.Optimizer.Tests", "FusionFixtures");
    private readonly LlvmContext _context = LlvmContext.Create();
    private readonly LlvmModule _module;

    public ChainFusionTests() => _module = ProgramSource.Read(Path.Combine(Directory, "three_stages.ll")).Parse(_context);

    public void Dispose()
    {
        _module.Dispose();
        _context.Dispose();
    }

    private static FusionRequest Request(params FusionSlot[] slots) =>
        new("stage_entry", new Dictionary<string, IReadOnlyList<FusionSlot>> { ["slots"] = slots });

    private static readonly FusionSlot Filter = new(1, 11, "stage_filter", "stage_filter");
    private static readonly FusionSlot Forward = new(2, 12, "stage_forward", "stage_forward");
    private static readonly FusionSlot Loop = new(3, 13, "stage_loop", "stage_loop");

    private int TailCallsIn(string function) =>
        _module.GetFunction(function)!.Value.Blocks.SelectMany(b => b.Instructions)
            .Count(i => Helpers.HelperCalls.TryGetHelper(i, out var h) && h.Id == Helpers.BpfHelpers.TailCall);

    [Fact]
    public void Every_known_slot_is_inlined_transitively_and_the_unresolvable_calls_are_kept()
    {
        var (outcome, steps) = ChainFusion.Fuse(_module, Request(Filter, Forward, Loop));

        Assert.Null(_module.Verify());
        Assert.Equal(["stage_filter", "stage_forward", "stage_loop"], outcome.Stages);
        Assert.Equal(["slots"], outcome.ProgramArrays);
        Assert.Equal(3, outcome.Inlined);
        // The filter's computed slot and the loop's own slot (already on its path) stay real tail calls.
        Assert.Equal(2, outcome.Kept);
        Assert.Equal(2, TailCallsIn("stage_entry"));
        // The fused stages left the module: the object holds one program.
        Assert.Null(_module.GetFunction("stage_filter"));
        Assert.Null(_module.GetFunction("stage_forward"));
        using (var analysis = ProgramAnalysis.Analyze(_module, new AnalysisOptions { ObjectName = "three_stages" }))
            Assert.Single(analysis.Programs);
        Golden.Check(Path.Combine(Directory, "three_stages.expected.steps.txt"), SpecializerGoldenTests.Render(steps, outcome.ProgramArrays));
    }

    [Fact]
    public void An_empty_slot_fails_the_tail_call_and_the_code_after_it_runs()
    {
        var (outcome, steps) = ChainFusion.Fuse(_module, Request(Filter));

        Assert.Null(_module.Verify());
        Assert.Equal(1, outcome.Inlined);
        Assert.Equal(2, outcome.FoldedEmpty); // slots 2 and 3
        Assert.Equal(["slots"], outcome.ProgramArrays);
        Assert.Contains(steps, s => s.Applied && s.What == "slots[2] is empty: the tail call fails, the code after it runs");
        Assert.Equal(1, TailCallsIn("stage_entry")); // the computed slot
    }

    [Fact]
    public void A_slot_holding_a_program_not_in_the_module_keeps_the_tail_call_and_nothing_depends_on_it()
    {
        var before = _module.ToString();
        var (outcome, steps) = ChainFusion.Fuse(_module, Request(Filter with { Function = null, ProgramName = "other" }));

        Assert.Equal(before, _module.ToString());
        Assert.Empty(outcome.ProgramArrays);
        Assert.Contains(steps, s => !s.Applied && s.What == "tail call kept: slots[1] holds other (id 11), which is not one of the module's programs");
    }

    [Fact]
    public void An_unknown_program_array_keeps_its_tail_calls()
    {
        var (outcome, steps) = ChainFusion.Fuse(_module, new FusionRequest("stage_entry", new Dictionary<string, IReadOnlyList<FusionSlot>>()));

        Assert.Equal(0, outcome.Inlined);
        Assert.Contains(steps, s => !s.Applied && s.What == "tail call kept: the contents of slots are not known");
    }

    [Fact]
    public void Past_the_tail_call_limit_a_call_is_folded_as_the_kernel_fails_it()
    {
        var (outcome, steps) = ChainFusion.Fuse(_module, Request(Filter, Forward, Loop) with { MaxTailCalls = 1 });

        Assert.Null(_module.Verify());
        Assert.Equal(["stage_filter"], outcome.Stages);
        Assert.Contains(steps, s => s.Applied && s.What.StartsWith("slots[2]: tail call 2 on this path, past the limit of 1", StringComparison.Ordinal));
    }

    [Fact]
    public void The_fused_entry_scopes_its_packet_accesses_apart_from_the_helpers_that_do_not_touch_the_packet()
    {
        var (_, steps) = ChainFusion.Fuse(_module, Request(Filter, Forward));

        Assert.Null(_module.Verify());
        var instructions = _module.GetFunction("stage_entry")!.Value.Blocks.SelectMany(b => b.Instructions).ToList();
        var text = instructions.Select(i => i.ToString()).ToList();
        // The context's data pointers and the headers read through them are in the packet's scope...
        Assert.Contains(text, t => t.Contains("load i32", StringComparison.Ordinal) && t.Contains("!alias.scope", StringComparison.Ordinal));
        // ...and the map lookups (keys on the stack) and the stack itself are outside it.
        var lookups = instructions.Where(i => Helpers.HelperCalls.TryGetHelper(i, out var h) && h.Id == Helpers.BpfHelpers.MapLookupElem).ToList();
        Assert.NotEmpty(lookups);
        Assert.All(lookups, l => Assert.Contains("!noalias", l.ToString(), StringComparison.Ordinal));
        Assert.Contains(steps, s => s.Applied && s.Pass == "packet-scope");
    }

    [Fact]
    public void Without_a_fused_stage_the_packet_scopes_are_not_added()
    {
        var (_, steps) = ChainFusion.Fuse(_module, new FusionRequest("stage_entry", new Dictionary<string, IReadOnlyList<FusionSlot>>()));

        Assert.DoesNotContain("!alias.scope", _module.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(steps, s => s.Pass == "packet-scope");
    }

    [Fact]
    public void The_fused_entry_specializes_as_one_program_guarded_on_its_program_array()
    {
        var request = Request(Filter, Forward);
        ChainFusion.Fuse(_module, request);
        using var analysis = ProgramAnalysis.Analyze(_module, new AnalysisOptions { ObjectName = "three_stages" });
        var verdict = analysis.Maps.Maps.Single(m => m.Name == "verdict");
        var specialization = new SpecializationRequest(new Dictionary<string, MapSnapshot>
        {
            ["slots"] = request.Snapshot("slots", 4, guardSlot: 5, guardVersion: 9),
            ["verdict"] = new("verdict", verdict.Type!.Value, 4, 4, 1, [(new byte[4], BitConverter.GetBytes(1u))], 6, 2),
        })
        {
            FusedProgramArrays = new HashSet<string> { "slots" },
        };

        var result = Specializer.Specialize(_module, analysis, specialization);

        Assert.Equal("\u007fELF"u8.ToArray(), result.Object.Elf[..4]);
        Assert.Contains("slots", result.SpecializedMaps);
        Assert.Contains(result.Steps, s => s.Applied && s.Pass == "guards" && s.What.Contains("slots (slot 5 = version 9)", StringComparison.Ordinal));
        // The forwarder's verdict map was inlined into the fused entry: constants cross the stage boundary.
        Assert.Contains("verdict", result.SpecializedMaps);
    }

    [Fact]
    public void The_checked_in_ir_is_compiled_from_the_c_beside_it() => FixtureIr.AssertCurrent(Directory, "three_stages");
}
