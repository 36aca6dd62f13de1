using Kecleon.Llvm;

namespace Kecleon.Reports;

/// <summary>One source line an instruction came from (its <c>-g</c> debug location).</summary>
internal readonly record struct SourceLine(string Path, int Line)
{
    public string FileName => System.IO.Path.GetFileName(Path);
}

/// <summary>
/// The source files named by a module's debug locations, read on first use (each once) so that graphs can show the lines
/// a block came from. A file that cannot be read (built elsewhere, moved) has no text; its line numbers still show.
/// </summary>
internal sealed class SourceText
{
    private readonly Dictionary<string, string[]?> _files = new(StringComparer.Ordinal);

    /// <summary>Where <paramref name="instruction"/> came from, or null without a debug location (or at line 0,
    /// clang's "no particular line").</summary>
    public static SourceLine? LineOf(LlvmInstruction instruction)
    {
        if (instruction.DebugLocation is not { Line: > 0 } location)
            return null;
        var file = location.File;
        var directory = location.Directory;
        return new SourceLine(Path.IsPathRooted(file) || directory.Length == 0 ? file : Path.Combine(directory, file), location.Line);
    }

    /// <summary>The text of <paramref name="line"/>, or null when its file is not readable here.</summary>
    public string? Text(SourceLine line)
    {
        if (!_files.TryGetValue(line.Path, out var lines))
            _files[line.Path] = lines = Read(line.Path);
        return lines is not null && line.Line <= lines.Length ? lines[line.Line - 1] : null;
    }

    private static string[]? Read(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadAllLines(path) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
