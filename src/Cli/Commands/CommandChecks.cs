using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Kecleon.Bpf;

namespace Kecleon.Cli.Commands;

/// <summary>Number options with their range checked while parsing: a value out of range, or not a number, is a usage
/// error that names the option and the range (exit 64), never an exception from a validator.</summary>
internal static class OptionRange
{
    /// <summary>Generated traces and check packets: a million frames is about 150 MB in memory.</summary>
    public const int MaxPackets = 1_000_000;

    public static Option<int> Within(this Option<int> option, int min, int max)
    {
        option.CustomParser = r => Parse(r, option.Name, min, max) ?? 0;
        return option;
    }

    public static Option<int?> Within(this Option<int?> option, int min, int max)
    {
        option.CustomParser = r => Parse(r, option.Name, min, max);
        return option;
    }

    private static int? Parse(ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
            return (int)value;
        result.AddError(max == int.MaxValue
            ? $"{name} takes a whole number of at least {min}, not '{text}'"
            : $"{name} takes a whole number from {min} to {max}, not '{text}'");
        return null;
    }
}

/// <summary>Files a command reads and writes, checked before any work starts.</summary>
internal static class CommandFiles
{
    /// <summary>An input file: it must exist and be a file (exit 66 otherwise).</summary>
    public static string Input(string path, string what)
    {
        if (Directory.Exists(path))
            throw new InputNotFoundException($"{path} is a folder; give {what} file");
        if (!File.Exists(path))
            throw new InputNotFoundException($"{path}: no such file ({what})");
        return path;
    }

    /// <summary>An output file: its folder must exist and it must not be a folder itself (exit 73 otherwise). Checked
    /// before the work, so a long run does not end in an unwritable path; folders are never created.</summary>
    public static string Output(string path, string option)
    {
        if (path.Length == 0)
            throw new UsageException($"{option} needs a file name");
        if (Directory.Exists(path))
            throw new OutputFileException($"{option} {path} is a folder; give a file name");
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder))
            throw new OutputFileException($"{option} {path}: the folder {folder} does not exist (create it first)");
        return path;
    }

    /// <summary>Writes an output file, turning what the file system refuses into one clear line (exit 73).</summary>
    public static void Write(string path, string option, Action<string> write)
    {
        Output(path, option);
        try
        {
            write(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OutputFileException($"{option} {path}: cannot write it: {e.Message}");
        }
    }

    /// <summary>A pin folder given on the command line must be on bpffs (a usage error naming the folder otherwise).</summary>
    public static string PinFolder(string path, string option) =>
        BpfFs.Problem(path) is { } problem ? throw new UsageException($"{option}: {problem}") : path;
}

/// <summary>Commands that load programs, read maps or attach need root (or the BPF capabilities): say so up front
/// (exit 77) rather than fail later on whichever bpf(2) call or pinned object comes first.</summary>
internal static class Privileges
{
    private const int CapNetAdmin = 12, CapSysAdmin = 21, CapPerfmon = 38, CapBpf = 39;

    public const string Needed = "Kecleon must run as root, or with CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (try `sudo`)";

    public static void RequireBpf(string command)
    {
        if (Effective() is not { } caps)
            return; // no /proc: let the kernel answer
        bool Has(int cap) => (caps & (1UL << cap)) != 0;
        if (!Has(CapSysAdmin) && !(Has(CapBpf) && Has(CapPerfmon) && Has(CapNetAdmin)))
            throw new NoPermissionException($"{command}: {Needed}");
    }

    /// <summary>The effective capability set, from the CapEff line of /proc/self/status.</summary>
    private static ulong? Effective()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("CapEff:", StringComparison.Ordinal) &&
                    ulong.TryParse(line["CapEff:".Length..].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var mask))
                    return mask;
        }
        catch (IOException)
        {
        }
        return null;
    }
}

/// <summary>Options that take one of a few words: help lists them (as completions), a bad value is a usage error that
/// lists them and suggests the nearest (exit 64).</summary>
internal static class AllowedValues
{
    public static Option<T> OneOf<T>(this Option<T> option, params string[] values)
    {
        option.CompletionSources.Add(_ => values.Select(v => new System.CommandLine.Completions.CompletionItem(v)));
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                    result.AddError($"{option.Name} takes {string.Join(", ", values)}, not '{token.Value}'{Suggestions.DidYouMean(token.Value, values)}");
        });
        return option;
    }

    public static Argument<T> OneOf<T>(this Argument<T> argument, params string[] values)
    {
        argument.CompletionSources.Add(_ => values.Select(v => new System.CommandLine.Completions.CompletionItem(v)));
        argument.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                    result.AddError($"{argument.Name.ToUpperInvariant()} takes {string.Join(", ", values)}, not '{token.Value}'{Suggestions.DidYouMean(token.Value, values)}");
        });
        return argument;
    }
}
