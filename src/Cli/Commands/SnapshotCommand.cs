using System.CommandLine;
using Kecleon.Runtime.Deployment;

namespace Kecleon.Cli.Commands;

/// <summary><c>kecleon snapshot</c>: a live program's (or pinned) maps written as <c>bpftool map dump -j</c> files, one
/// per map, for <c>--maps DIR</c> (CI keeps the production maps beside the program).</summary>
internal static class SnapshotCommand
{
    public static Command Create()
    {
        var programId = new Option<uint?>("--prog-id") { Description = "Snapshot the maps of this loaded program (`bpftool prog show` lists them)" };
        var pin = new Option<string?>("--pin") { Description = "Snapshot the maps pinned in this folder (each file a map, named after it)" };
        var output = new Option<string>("--output", "-o") { Description = "The folder to write NAME.json into, one per map (it must exist)", Required = true };
        var force = new Option<bool>("--force") { Description = "Write into a folder that already holds files (files of the same name are replaced)" };
        var command = new Command("snapshot", "Write a loaded program's maps (or pinned ones) as `bpftool map dump -j` files, for --maps")
        {
            programId, pin, output, force,
        };
        command.SetAction(result => CommandRunner.Guard(() =>
        {
            var (id, folder) = (result.GetValue(programId), result.GetValue(pin));
            if (id is null == folder is null)
                throw new UsageException("give --prog-id N or --pin DIR: the maps to snapshot");
            var dir = result.GetValue(output)!;
            if (File.Exists(dir))
                throw new OutputFileException($"--output {dir} is a file; give a folder");
            if (!Directory.Exists(dir))
                throw new OutputFileException($"--output {dir}: no such folder (create it first)");
            if (Directory.EnumerateFileSystemEntries(dir).Any() && !result.GetValue(force))
                throw new OutputFileException($"--output {dir} already holds files: give an empty folder, or --force to write over them");
            Privileges.RequireBpf("snapshot");
            var source = id is { } n ? MapSource.FromProgram(n) : MapSource.FromPinFolder(CommandFiles.PinFolder(folder!, "--pin"));
            IReadOnlyList<(string File, int Entries)> written;
            IReadOnlyList<string> leftOut;
            try
            {
                (written, leftOut) = MapDump.WriteFolder(source, dir);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new OutputFileException($"--output {dir}: cannot write it: {e.Message}");
            }
            foreach (var (file, entries) in written)
                Console.WriteLine($"{file}: {entries} entries");
            foreach (var line in leftOut)
                Console.WriteLine($"left out {line}");
            Progress.Line($"snapshot of {source.Description}: {written.Count} maps in {dir}; read it back with --maps {dir}");
            return ExitCodes.Success;
        }));
        return command;
    }
}
