using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>The input is not the program the target runs: replacing it would change what the hook does.</summary>
public sealed class ProgramMismatchException(string message, Exception? inner = null, string? details = null)
    : KecleonException(message, inner, details)
{
    public override int ExitCode => ExitCodes.BadInput;
}

/// <summary>
/// Proves that the input is the program a target runs before Kecleon replaces it. The proof is the kernel's program tag
/// (<c>bpf_prog_info.tag</c>): a hash of the instructions as loaded, with the immediates of map loads (fds, and the
/// offsets into global data) zeroed. The same object loaded twice, on other maps or with other <c>.rodata</c> values,
/// has the same tag; another program (other code, other constants in the code) has another. The input loaded on the
/// live maps (the stand-in original) is compared with the target's <see cref="Target.OriginalInfo"/>: after a swap the
/// hook runs the specialized program, and the original is the pinned one.
/// </summary>
public static class ProgramIdentity
{
    /// <summary>Throws <see cref="ProgramMismatchException"/> unless <paramref name="candidate"/> (the input, loaded)
    /// has the instructions of the target's original.</summary>
    /// <param name="input">The input as the user named it (a path, <c>sample:router</c>).</param>
    public static void Verify(Target target, BpfProgram candidate, string input)
    {
        var original = target.OriginalInfo;
        var loaded = candidate.Info();
        if (loaded.Id == original.Id || Same(loaded, original))
            return;
        throw new ProgramMismatchException(
            $"{input} is not the program on {target.Hook.Description}: the input's program {loaded.Name} has tag {loaded.Tag}, " +
            $"the original there is program {original.Id} ({original.Name}) with tag {original.Tag}; their instructions differ. " +
            $"Give the source or object program {original.Id} was loaded from");
    }

    /// <summary>Same type and same instructions (the tag hashes them, map references zeroed).</summary>
    public static bool Same(BpfProgramInfo a, BpfProgramInfo b) => a.Type == b.Type && a.Tag == b.Tag;
}
