using Kecleon.Bpf;

namespace Kecleon.Runtime.Deployment;

/// <summary>The input is not the program the target runs: replacing it would change what the hook does.</summary>
public sealed class ProgramMismatchException(string message, Exception? inner = null, string? details = null)
    : KecleonException(message, inner, details)
{
    public override int ExitCode => ExitCodes.BadInput;
}

/// <summary>
/// Proves that the input is the program a target runs before Kecleon replaces it, in two parts:
/// <list type="number">
/// <item>The kernel's program tag (<c>bpf_prog_info.tag</c>): a hash of the instructions as loaded, with the immediates
/// of map loads (fds, and offsets into global data) zeroed. The same object loaded twice, on other maps, has the same
/// tag; a program with other code or other constants in its code has another.</item>
/// <item>Global read-only data (<c>.rodata</c>: <c>volatile const</c> settings a loader may change before loading), which
/// the tag leaves out: the original's frozen map must hold the input's initial bytes, because the specialized program
/// is built from the input and carries them.</item>
/// </list>
/// The input is compared with the target's <see cref="Target.OriginalInfo"/>: after a swap the hook runs the specialized
/// program, and the original is the pinned one.
/// </summary>
public static class ProgramIdentity
{
    /// <summary>Throws <see cref="ProgramMismatchException"/> unless <paramref name="candidate"/> (the input, loaded) has
    /// the original's instructions and <paramref name="elf"/> (the object it was loaded from) the original's read-only data.</summary>
    /// <param name="input">The input as the user named it (a path, <c>sample:router</c>).</param>
    public static void Verify(Target target, BpfProgram candidate, byte[] elf, string input)
    {
        var original = target.OriginalInfo;
        var loaded = candidate.Info();
        if (loaded.Id != original.Id && !Same(loaded, original))
            throw new ProgramMismatchException(
                $"{input} is not the program on {target.Hook.Description}: the input's program {loaded.Name} has tag {loaded.Tag}, " +
                $"the original there is program {original.Id} ({original.Name}) with tag {original.Tag}; their instructions differ. " +
                $"Give the source or object program {original.Id} was loaded from");
        VerifyReadOnlyData(target, elf, input);
    }

    /// <summary>Same type and same instructions (the tag hashes them, map references zeroed).</summary>
    public static bool Same(BpfProgramInfo a, BpfProgramInfo b) => a.Type == b.Type && a.Tag == b.Tag;

    private static void VerifyReadOnlyData(Target target, byte[] elf, string input)
    {
        using var probe = BpfObject.Open(elf, "input");
        var readOnly = probe.Maps.Where(m => m.IsInternal && Section(m.Name).StartsWith(".rodata", StringComparison.Ordinal)).ToList();
        if (readOnly.Count == 0)
            return;
        foreach (var id in target.OriginalInfo.MapIds)
        {
            using var live = BpfLoadedMap.OpenById(id);
            if (live.Type != BpfMapType.Array || readOnly.FirstOrDefault(m => Section(m.Name) == Section(live.Name)) is not { } mine)
                continue;
            var initial = mine.InitialValue() ?? [];
            var contents = live.Lookup(BitConverter.GetBytes(0u)) ?? [];
            if (!contents.AsSpan().SequenceEqual(initial))
                throw new ProgramMismatchException(
                    $"{input} is not the program on {target.Hook.Description} as it was loaded: program {target.OriginalInfo.Id} " +
                    $"({target.OriginalInfo.Name}) has the input's instructions (tag {target.OriginalInfo.Tag}), but its {Section(live.Name)} " +
                    $"(map {id}, {live.Name}) holds other values than the input's ({Differences(initial, contents)}): its loader set them. " +
                    "The specialized program would carry the input's values; give an input whose read-only globals are set as the loader set them");
        }
    }

    /// <summary>The section of a global-data map's kernel name: libbpf prefixes standard sections (<c>.rodata</c>) with
    /// the object's name (<c>router_b.rodata</c>) and names others by the section alone (<c>.rodata.str1.1</c>).</summary>
    private static string Section(string mapName) => mapName.IndexOf('.', StringComparison.Ordinal) is var dot and >= 0 ? mapName[dot..] : mapName;

    private static string Differences(byte[] expected, byte[] actual)
    {
        if (expected.Length != actual.Length)
            return $"{actual.Length} bytes against {expected.Length}";
        var at = Enumerable.Range(0, expected.Length).Where(i => expected[i] != actual[i]).ToList();
        return $"{at.Count} of {expected.Length} bytes differ, the first at offset {at[0]}";
    }
}
