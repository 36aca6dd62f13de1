using Kecleon.Bpf;
using Kecleon.Helpers;
using Kecleon.Llvm;

namespace Kecleon.Reports;

/// <summary>
/// What a <c>ret</c> returns, for people: constant verdicts by name (<c>XDP_DROP</c>, <c>TC_ACT_SHOT</c>), a value
/// returned by a helper as "verdict of bpf_redirect" (or of the tail call), a value from a called function as
/// "returned by f()", anything else as "computed". Looks through phis, selects and integer casts.
/// </summary>
internal sealed class ExitVerdicts(IReadOnlyDictionary<nint, HelperCallSite> sitesByCall)
{
    /// <summary>The helpers that choose where the packet goes (XDP and TC); their result is the verdict to return.</summary>
    public static readonly IReadOnlySet<string> RedirectHelpers = new HashSet<string>(StringComparer.Ordinal)
    {
        "bpf_redirect", "bpf_redirect_map", "bpf_redirect_neigh", "bpf_redirect_peer", "bpf_clone_redirect",
    };

    /// <summary>The distinct verdicts <paramref name="value"/> can be, in the order first met. <paramref name="type"/> is
    /// the program type when the function is a program's entry (so its return value is a verdict), else null.</summary>
    public IReadOnlyList<string> Of(LlvmValue value, BpfProgramType? type)
    {
        var verdicts = new List<string>();
        Collect(value, type, verdicts, []);
        return verdicts;
    }

    /// <summary>What a return block's phi returns along <paramref name="edge"/>. On a switch case edge the switched value
    /// is known to be the case's (clang often returns the switched value itself rather than the constant).</summary>
    public IReadOnlyList<string> Along(Cfg.CfgEdge edge, LlvmInstruction phi, BpfProgramType? type)
    {
        var verdicts = new List<string>();
        for (var i = 0; i < phi.IncomingCount; i++)
        {
            var (value, block) = phi.Incoming(i);
            if (block != edge.Source.Block)
                continue;
            if (edge is { Kind: Cfg.BranchKind.SwitchCase, Condition: { } switched, CaseValue: { } constant } && switched == value)
                Add(verdicts, type is { } program ? program.DescribeVerdict((uint)constant) : constant.ToString(System.Globalization.CultureInfo.InvariantCulture));
            else
                Collect(value, type, verdicts, []);
        }
        return verdicts;
    }

    /// <summary>The phi a return block returns, when it returns one defined in the block itself.</summary>
    public static LlvmInstruction? ReturnedPhi(Cfg.CfgBlock block) =>
        block.Terminator is { Opcode: LlvmOpcode.Ret, OperandCount: > 0 } ret && ret.Operand(0) is { IsInstruction: true } value
        && value.AsInstruction() is { Opcode: LlvmOpcode.Phi } phi && phi.Block == block.Block ? phi : null;

    private void Collect(LlvmValue value, BpfProgramType? type, List<string> into, HashSet<nint> seen)
    {
        if (!seen.Add(value.Raw))
            return;
        if (value.IsConstantInt)
        {
            Add(into, type is { } program ? program.DescribeVerdict((uint)value.ZExtValue) : value.SExtValue.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        if (!value.IsInstruction)
        {
            Add(into, "computed");
            return;
        }
        var instruction = value.AsInstruction();
        switch (instruction.Opcode)
        {
            case LlvmOpcode.Phi:
                for (var i = 0; i < instruction.IncomingCount; i++)
                    Collect(instruction.Incoming(i).Value, type, into, seen);
                break;
            case LlvmOpcode.Select:
                Collect(instruction.Operand(1), type, into, seen);
                Collect(instruction.Operand(2), type, into, seen);
                break;
            case LlvmOpcode.ZExt or LlvmOpcode.SExt or LlvmOpcode.Trunc:
                Collect(instruction.Operand(0), type, into, seen);
                break;
            case LlvmOpcode.Call when sitesByCall.TryGetValue(instruction.Raw, out var site):
                Add(into, site.Helper.Id == BpfHelpers.TailCall ? "verdict of the tail call" : $"verdict of {site.Helper.Name}");
                break;
            case LlvmOpcode.Call when instruction.CalledValue.IsFunction:
                Add(into, $"returned by {instruction.CalledValue.Name}()");
                break;
            default:
                Add(into, "computed");
                break;
        }
    }

    private static void Add(List<string> into, string verdict)
    {
        if (!into.Contains(verdict))
            into.Add(verdict);
    }
}
