using Kecleon.Instrumentation.Profiling;
using Kecleon.Optimizer.Passes;
using Kecleon.Passes;

namespace Kecleon.Optimizer;

/// <summary>
/// The named pipelines: ordered lists of passes, each comment saying why a pass stands where it does (ILSpy's
/// <c>GetILTransforms</c>). Each property makes a new <see cref="PassManager"/>, which reads the IR-dump switch
/// (<see cref="PassManager.DumpAfterVariable"/>) when it is made.
/// </summary>
public static class Pipelines
{
    /// <summary>
    /// LLVM's passes for a specialized module, in place of <c>default&lt;O2&gt;</c>. The program came in optimized (clang
    /// -O2), and what the specialization adds is local: decision functions to inline, their constant answers to fold into
    /// the uses, the paths that made dead to delete, answers and keys on the stack to take back into registers. The whole of
    /// O2 again (its inliner, loop and vectorization pipelines over the whole program) took twice as long or more for code
    /// of the same size (the same BPF instruction counts for the router, the switch and the balancer, within 2 % for the
    /// firewall): the firewall 27–30 → 12 ms, the router 9.7 → 4.3 ms, the samples' speedups side by side within their
    /// noise (docs/optimizer.md).
    /// </summary>
    public const string AfterSpecialization =
        // The decision and hot-key functions (alwaysinline) into their sites; they go once inlined.
        "always-inline," +
        "function(" +
        // The answer structs and keys the rewrites put on the stack, into registers.
        "sroa," +
        // The same key word or header field loaded twice by the inlined code and the program's own.
        "early-cse<memssa>," +
        // Constants through phis and branches: a constant answer's words reach every use.
        "sccp," +
        // Extracts of constant answers, compares against constants.
        "instcombine," +
        // Branches on constants gone and blocks merged, so the next passes see straight paths.
        "simplifycfg," +
        // A found/miss test answered on the path that decided it; ranges a compare before proved.
        "jump-threading," +
        "correlated-propagation," +
        // Loads forwarded across stores and calls the packet scope marked apart (a fused chain's later stages).
        "gvn," +
        // Stores and code nothing reads any more, and the blocks left empty.
        "dse," +
        "adce," +
        "simplifycfg," +
        "instcombine)," +
        // Whatever the inliner left without a use.
        "globaldce";

    /// <summary>
    /// LLVM's passes for a reaction's build (<see cref="CodeGen.CodeGenOptions.Reaction"/>): what folds the
    /// specialization's constants and takes its stack traffic back into registers, without the global value numbering,
    /// dead-store and second clean-up passes of <see cref="AfterSpecialization"/>. About half its time on the firewall
    /// (O2 stage 12 → 7.5 ms); the code is somewhat slower where those passes found more (the switch's hot keys), and
    /// is replaced by the full build once the writes pause.
    /// </summary>
    public const string Reaction =
        "always-inline," +
        "function(sroa,early-cse<memssa>,sccp,instcombine,simplifycfg,jump-threading,correlated-propagation,adce,simplifycfg)," +
        "globaldce";

    /// <summary>The specialization passes; their context comes from <see cref="SpecializationContext.Create"/>.</summary>
    public static PassManager Specialize => new("specialize", SpecializePasses());

    /// <summary>Chain fusion (<see cref="ChainFusionPass"/>, its context providing a <see cref="FusionRequest"/>), then the
    /// fused program's packet accesses scoped apart from the rest of its memory (<see cref="PacketScopePass"/>): run
    /// before <see cref="Specialize"/>, on the module the specialization's analysis is then made of, so the planner and
    /// the passes see the fused chain as one program and constants flow across the stages.</summary>
    public static PassManager Fuse => new("fuse",
    [
        new ChainFusionPass(),
        // After fusion, on the one program it made: the stages' packet accesses are then in one function, where LLVM's
        // GVN can forward the first stage's parse into the later ones once it knows the helpers do not touch the packet.
        new PacketScopePass(),
    ]);

    /// <summary>The profiling instrumentation; its context may carry an <see cref="InstrumentationRequest"/>, and it
    /// provides the <see cref="InstrumentationLayout"/>.</summary>
    public static PassManager Instrument => new("instrument", [new InstrumentationPass()]);

    /// <summary>The specialized program, profiled: what runs on a live data plane while the daemon learns the next
    /// profile (<see cref="Specializer.SpecializeAndInstrument"/>).</summary>
    public static PassManager SpecializeAndInstrument => new("specialize-and-instrument",
    [
        // First: the profile speaks of the original's branches and lookup sites, numbered on the module as parsed; it
        // tags them (metadata only) so the instrumentation finds what is left of them after the rewrites.
        new ProfilePointsPass(),
        .. SpecializePasses(),
        // Last, before LLVM's pipeline (which would fold the tagged branches away): it clones the finished program
        // (guards and all), so a sampled packet runs the same specialized code as any other.
        new InstrumentationPass(),
    ]);

    private static IModulePass[] SpecializePasses() =>
    [
        // Before anything adds or moves a block: the profile names branches by their block's number in function order
        // as parsed. Metadata only; the analysis stays valid.
        new BranchWeightsPass(),
        // It executes the plan's whole-map sites and needs the analysis of the unmodified module (how each lookup's
        // result is used); which snapshots the program depends on follows from what it rewrites.
        new MapInliningPass(),
        // After inlining, on the analysis's lookups: it folds the read-only fields of values the data plane writes in part,
        // where the lookup stays; the maps it uses must be known before the guard pass.
        new FieldFoldingPass(),
        // After inlining: it takes the lookup sites the inliner left alone (the specialization state says which), and
        // the maps it uses must be known before the guard pass.
        new HotKeyPass(),
        // A fused chain only, after the passes that add stack slots for their answers and before the guard's prelude:
        // it marks those accesses too, so none of them clobbers the packet the first stage parsed.
        new PacketScopePass(),
        // After inlining: it guards exactly the maps inlining used, and its fallback must wrap the final entry block.
        new GuardPass(),
    ];
}
