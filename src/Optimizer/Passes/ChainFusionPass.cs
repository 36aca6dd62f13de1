using System.Collections.Immutable;
using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Llvm;
using Kecleon.Optimizer.Specialization;
using Kecleon.Passes;

namespace Kecleon.Optimizer.Passes;

/// <summary>One occupied slot of a PROG_ARRAY as it was read: the program in it (kernel id and name) and the module's
/// function that program was proved to be (null: none of the module's, or not proved the same).</summary>
public sealed record FusionSlot(uint Index, uint ProgramId, string ProgramName, string? Function)
{
    /// <summary>Why the program was not taken for one of the module's functions, when there is more to say than that
    /// none matched.</summary>
    public string? Unresolved { get; init; }
}

/// <summary>
/// What <see cref="ChainFusionPass"/> fuses: the entry program (a function of the module) and the contents of the
/// PROG_ARRAYs its stages tail-call through, read at one moment. A PROG_ARRAY named here holds exactly the slots listed
/// (any other slot was empty); a PROG_ARRAY not named is unknown, and its tail calls stay.
/// </summary>
public sealed record FusionRequest(string Entry, IReadOnlyDictionary<string, IReadOnlyList<FusionSlot>> ProgramArrays)
{
    /// <summary>The kernel's <c>MAX_TAIL_CALL_CNT</c>: a program entered from its hook makes at most 33 tail calls; the
    /// 34th fails and the code after it runs.</summary>
    public const int KernelTailCallLimit = 33;

    /// <summary>Tail calls the fused code may stand for on one path; past it a tail call is folded as the kernel runs it
    /// (failed).</summary>
    public int MaxTailCalls { get; init; } = KernelTailCallLimit;

    /// <summary>Deletes the stage functions fused into the entry, so the fused object holds one program.</summary>
    public bool DropFusedStages { get; init; } = true;

    /// <summary>The guard's snapshot of <paramref name="map"/>'s contents (key: the slot, value: the program id, both
    /// 4 bytes): what the fused program depends on, guarded like any specialized map's snapshot.</summary>
    public MapSnapshot Snapshot(string map, int maxEntries, int guardSlot, ulong guardVersion) =>
        new(map, BpfMapType.ProgArray, 4, 4, maxEntries,
            ProgramArrays[map].OrderBy(s => s.Index).Select(s => (BitConverter.GetBytes(s.Index), BitConverter.GetBytes(s.ProgramId))).ToList(),
            guardSlot, guardVersion);
}

/// <summary>What <see cref="ChainFusionPass"/> did: the PROG_ARRAYs whose contents the fused code depends on (a stage
/// inlined from a slot, or a tail call folded because its slot was empty: each must be guarded), the stages inlined,
/// and the tail calls left as they are.</summary>
public sealed class FusionOutcome
{
    internal SortedSet<string> DependsOn { get; } = new(StringComparer.Ordinal);
    internal SortedSet<string> Fused { get; } = new(StringComparer.Ordinal);

    public IReadOnlySet<string> ProgramArrays => DependsOn;
    public IReadOnlySet<string> Stages => Fused;
    public int Inlined { get; internal set; }
    public int FoldedEmpty { get; internal set; }
    public int Kept { get; internal set; }
}

/// <summary>
/// Chain fusion: a tail call to a slot whose program is known is, while the slot is unchanged, a jump to known code. A
/// successful tail call never returns, so the call and whatever follows it become the callee's verdict:
/// <code>
/// before (stage_entry)                                  after
///   %r = call i64 inttoptr (i64 12 ...)(ctx, @slots, 1)   %v = call i32 @stage_filter(ctx)   ; inlined at once
///   br label %out                                         ret i32 %v
/// out: ret i32 2
/// </code>
/// Each inlined body's own tail calls are resolved in turn, on the path that led to them: never a stage already on
/// that path (a cycle keeps its real tail call), and past <see cref="FusionRequest.MaxTailCalls"/> on a path the call
/// is folded as the kernel would run it, failed. A tail call into an empty slot of a known PROG_ARRAY fails: it is
/// removed and the code after it runs. A computed index, an unknown PROG_ARRAY or a slot holding a program that is not
/// one of the module's keep the real tail call, with the reason in the steps. Inlining is LLVM's own (the stage is made
/// <c>alwaysinline</c> for one run of the always-inliner), so the debug locations of the inlined body get their
/// <c>inlinedAt</c> and the BTF stays valid. The fused entry's <see cref="FusionOutcome"/> is provided: the PROG_ARRAYs
/// it names must be guarded (<see cref="SpecializationRequest.FusedProgramArrays"/>).
/// </summary>
public sealed class ChainFusionPass : IModulePass
{
    /// <summary>The metadata that carries, across inlining, which path of stages a tail call was inlined along.</summary>
    private const string PathTag = "kecleon.fusion.path";
    private const ulong Enoent = 2;

    public string Name => "chain-fusion";

    public PassResult Run(PassContext context)
    {
        var request = context.Input<FusionRequest>();
        var module = context.Module;
        var llvm = module.Context;
        var entry = module.GetFunction(request.Entry) is { IsDeclaration: false } found
            ? found
            : throw new ArgumentException($"the module has no program '{request.Entry}' to fuse a chain into", nameof(context));
        var outcome = new FusionOutcome();
        context.Provide(outcome);
        // Path 0 is the entry's own code; a tail call inlined along a path carries its number (PathTag).
        var paths = new List<ImmutableArray<string>> { ImmutableArray.Create(entry.Name) };
        var kept = new HashSet<nint>();
        var changed = false;

        while (NextTailCall(entry, kept) is { } site)
        {
            context.Cancellation.ThrowIfCancellationRequested();
            var path = paths[(int)(site.Tag(llvm, PathTag) ?? 0)];
            var where = Where(site, path);
            var mapArgument = Stripped(site.Argument(1));
            var index = site.Argument(2);
            string? keepWhy = null;
            if (!mapArgument.IsGlobalVariable)
                keepWhy = "the PROG_ARRAY is not a constant map";
            else if (!index.IsConstantInt)
                keepWhy = $"the slot of {mapArgument.Name} is computed";
            else if (!request.ProgramArrays.TryGetValue(mapArgument.Name, out _))
                keepWhy = $"the contents of {mapArgument.Name} are not known";
            if (keepWhy is not null)
            {
                Keep(site, keepWhy);
                continue;
            }
            var map = mapArgument.Name;
            var slotIndex = index.ZExtValue;
            var slot = request.ProgramArrays[map].FirstOrDefault(s => s.Index == slotIndex);
            if (path.Length > request.MaxTailCalls)
            {
                FoldFailed(site);
                changed = true;
                context.Step(Name, $"{map}[{slotIndex}]: tail call {path.Length} on this path, past the limit of {request.MaxTailCalls}: " +
                                   "it fails, the code after it runs", where);
                continue;
            }
            if (slot is null)
            {
                FoldFailed(site);
                outcome.DependsOn.Add(map);
                outcome.FoldedEmpty++;
                changed = true;
                context.Step(Name, $"{map}[{slotIndex}] is empty: the tail call fails, the code after it runs", where);
                continue;
            }
            var stage = slot.Function is { } name ? module.GetFunction(name) : null;
            if (stage is not { IsDeclaration: false } callee)
            {
                Keep(site, slot.Unresolved is { } why ? $"{map}[{slotIndex}] holds {why}"
                    : $"{map}[{slotIndex}] holds {slot.ProgramName} (id {slot.ProgramId}), which is not one of the module's programs");
                continue;
            }
            if (path.Contains(callee.Name))
            {
                Keep(site, $"{map}[{slotIndex}] holds {callee.Name}, already on this path (a cycle)");
                continue;
            }
            if (callee.ParameterCount != 1 || callee.FunctionType.ReturnType != entry.FunctionType.ReturnType)
            {
                Keep(site, $"{map}[{slotIndex}] holds {callee.Name}, whose signature is not a program's like {entry.Name}'s");
                continue;
            }
            var calleePath = path.Add(callee.Name);
            paths.Add(calleePath);
            foreach (var call in TailCalls(callee))
                call.SetTag(llvm, PathTag, (uint)(paths.Count - 1));
            Inline(module, site, callee);
            outcome.DependsOn.Add(map);
            outcome.Fused.Add(callee.Name);
            outcome.Inlined++;
            changed = true;
            context.Step(Name, $"{map}[{slotIndex}] holds {callee.Name} (id {slot.ProgramId}): inlined", where);
        }

        foreach (var call in module.Functions.Where(f => !f.IsDeclaration).SelectMany(TailCalls))
            call.ClearTag(llvm, PathTag);
        if (changed)
            // The blocks the fused code cut off (the code after each tail call, now unreachable) go, with their phis' edges.
            module.RunPasses("function(simplifycfg)");
        if (request.DropFusedStages)
            DropStages(module, entry, outcome);
        return PassResult.Of(changed);

        void Keep(LlvmInstruction site, string why)
        {
            kept.Add(site.Raw);
            outcome.Kept++;
            context.Skip(Name, $"tail call kept: {why}", Where(site, paths[(int)(site.Tag(llvm, PathTag) ?? 0)]));
        }
    }

    /// <summary>The first tail call in <paramref name="entry"/>'s reachable code not decided yet.</summary>
    private static LlvmInstruction? NextTailCall(LlvmFunction entry, HashSet<nint> kept)
    {
        var seen = new HashSet<LlvmBasicBlock>();
        var work = new Stack<LlvmBasicBlock>([entry.EntryBlock]);
        while (work.TryPop(out var block))
        {
            if (!seen.Add(block))
                continue;
            foreach (var instruction in block.Instructions)
                if (IsTailCall(instruction) && !kept.Contains(instruction.Raw))
                    return instruction;
            foreach (var successor in block.Terminator?.Successors ?? [])
                work.Push(successor);
        }
        return null;
    }

    private static IEnumerable<LlvmInstruction> TailCalls(LlvmFunction function) =>
        function.Blocks.SelectMany(b => b.Instructions).Where(IsTailCall).ToList();

    private static bool IsTailCall(LlvmInstruction instruction) =>
        instruction.Opcode == LlvmOpcode.Call && HelperCalls.TryGetHelper(instruction, out var helper) && helper.Id == BpfHelpers.TailCall
        && instruction.ArgumentCount == 3;

    /// <summary>
    /// The block is split before the tail call: the code before it moves to a new block that every predecessor now
    /// branches to, which calls the stage and returns its verdict; the old block (the tail call and what follows)
    /// is left unreachable, its edges intact, for simplifycfg. The stage is then inlined by LLVM's always-inliner.
    /// </summary>
    private static void Inline(LlvmModule module, LlvmInstruction site, LlvmFunction stage)
    {
        var llvm = module.Context;
        var block = site.Block;
        var function = block.Parent;
        using var builder = new LlvmBuilder(llvm);
        var head = function.AppendBlock(llvm, "kecleon.fused");
        head.MoveBefore(block);
        builder.PositionAtEnd(head);
        foreach (var instruction in block.Instructions.TakeWhile(i => i != site).ToList())
            instruction.MoveTo(builder);
        // The predecessors' branches now go to the new block. Not by RAUW: LLVM's would also rename the block in its
        // successors' phis, whose edges stay the old block's.
        foreach (var user in block.Value.Users.Where(u => u.IsInstruction).Select(u => u.AsInstruction()).Where(u => u.IsTerminator).ToList())
            for (var i = 0; i < user.OperandCount; i++)
                if (user.Operand(i).Raw == block.Value.Raw)
                    user.SetOperand(i, head.Value);
        builder.DebugLocation = site.RawDebugLocation;
        var parameter = stage.Parameter(0).Type;
        var ctx = site.Argument(0);
        if (ctx.Type != parameter)
            ctx = builder.BitCast(ctx, parameter);
        var verdict = builder.Call(stage.FunctionType, stage.Value, [ctx]);
        builder.Ret(verdict);
        FoldFailed(site);

        stage.AddAttribute(llvm, "alwaysinline");
        try
        {
            module.RunPasses("always-inline");
        }
        finally
        {
            stage.RemoveAttribute("alwaysinline");
        }
    }

    /// <summary>A tail call that fails returns a negative error and the code after it runs: the call goes, its result
    /// (rarely used) becomes -ENOENT, what the kernel returns for an empty slot.</summary>
    private static void FoldFailed(LlvmInstruction site)
    {
        site.Value.ReplaceAllUsesWith(site.Type.ConstInt(unchecked((ulong)-(long)Enoent), signExtend: true));
        site.EraseFromParent();
    }

    /// <summary>The fused stages other than the entry leave the module (and clang's used-lists): the fused object is
    /// one program. A stage still called from somewhere stays.</summary>
    private static void DropStages(LlvmModule module, LlvmFunction entry, FusionOutcome outcome)
    {
        var stages = outcome.Stages.Where(s => s != entry.Name).Select(module.GetFunction).OfType<LlvmFunction>().ToHashSet();
        if (stages.Count == 0)
            return;
        module.DropFromUsedLists(stages);
        // Left: the constant casts and arrays the used-lists held, now dead (LLVM keeps constants until replaced).
        foreach (var stage in stages.Where(s => s.Value.Users.All(IsDeadConstant)))
        {
            stage.Value.ReplaceAllUsesWith(stage.Value.Type.Undef());
            stage.Delete();
        }
    }

    private static bool IsDeadConstant(LlvmValue value) =>
        value.IsConstant && !value.IsGlobalVariable && !value.IsFunction && value.Users.All(IsDeadConstant);

    private static LlvmValue Stripped(LlvmValue value)
    {
        while (value.IsConstantExpression && value.ConstantOpcode is LlvmOpcode.BitCast or LlvmOpcode.GetElementPtr)
            value = value.Operand(0);
        return value;
    }

    private static string Where(LlvmInstruction site, ImmutableArray<string> path) =>
        string.Join(" → ", path) + (site.DebugLocation is { Line: > 0 } location ? $" ({Path.GetFileName(location.File)}:{location.Line})" : "");
}

/// <summary>Runs <see cref="Pipelines.Fuse"/> on a module: the entry point for the runtime, the bench and the tests.</summary>
public static class ChainFusion
{
    /// <summary>Fuses <paramref name="request"/>'s chain into its entry, in place; the steps say what was inlined,
    /// folded or kept and why. Analyze the module afresh afterwards: it is a new program.</summary>
    public static (FusionOutcome Outcome, IReadOnlyList<PassStep> Steps) Fuse(LlvmModule module, FusionRequest request,
        CancellationToken cancellation = default)
    {
        using var context = new PassContext(module, cancellation).Provide(request);
        Pipelines.Fuse.Run(context);
        return (context.Input<FusionOutcome>(), context.Steps.ToList());
    }
}
