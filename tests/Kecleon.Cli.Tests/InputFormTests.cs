using Kecleon.Tests;
using Xunit;

namespace Kecleon.Cli.Tests;

/// <summary>
/// Every input form on the commands that need no kernel (analyze, compile): C, a sample's own source path, C in another
/// samples tree, <c>.ll</c>, <c>.bc</c>, an object with <c>.llvmbc</c>, and <c>sample:NAME</c>; and the parser's answers to
/// mistakes: an unknown sample, value or option exits 64 with the allowed values or a suggestion; <c>kecleon help
/// TOPIC</c> and <c>kecleon completion</c>.
/// </summary>
public sealed class InputFormTests
{
    private static readonly Lazy<Dictionary<string, string>> Forms = new(MakeForms);

    public static TheoryData<string, string> CommandsAndForms()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "analyze", "compile" })
            foreach (var form in new[] { "c", "sample source", "samples tree", "ll", "bc", "o", "sample:router" })
                data.Add(command, form);
        return data;
    }

    [Theory]
    [MemberData(nameof(CommandsAndForms))]
    public void Every_command_takes_every_input_form(string command, string form)
    {
        var input = Forms.Value[form];
        string[] args = command == "compile" ? ["compile", input, "-o", TestEnvironment.TempFile(".o", "cli-forms")] : ["analyze", input, "--json"];
        var r = KecleonProcess.Run(args);
        Assert.True(r.ExitCode == 0, $"kecleon {string.Join(' ', args)}: exit {r.ExitCode}\n{r.Output}");
    }

    [Fact]
    public void An_unknown_sample_exits_64_listing_the_samples_with_a_suggestion()
    {
        foreach (var args in new[] { "analyze sample:rooter", "compile sample:rooter -o /tmp/cli-x.o", "optimize sample:rooter --prog-id 1", "diff sample:router sample:rooter" })
        {
            var r = KecleonProcess.Run(args.Split(' '));
            Assert.Equal(ExitCodes.Usage, r.ExitCode);
            Assert.Contains("sample:router, sample:switch, sample:balancer, sample:firewall", r.Stderr);
            Assert.Contains("did you mean sample:router?", r.Stderr);
        }
        var missing = KecleonProcess.Run("analyze", "/nonexistent/cli-forms.c");
        Assert.Equal(ExitCodes.NoInput, missing.ExitCode);
    }

    [Theory]
    [InlineData("bench --sample rooter", "--sample takes router, switch, balancer, firewall, ddos, chain, all, not 'rooter'; did you mean router?")]
    [InlineData("bench --locality hgh", "--locality takes high, low, none, all, not 'hgh'; did you mean high?")]
    [InlineData("profile --out /tmp/cli-x.json --sample nope", "--sample takes router, switch, balancer, firewall, ddos, chain, all, not 'nope'")]
    [InlineData("compile x.c -o x.o --cpu v9", "--cpu takes v1, v2, v3, not 'v9'")]
    [InlineData("optimize x.c --attach lo --tc ingres", "--tc takes ingress, egress, not 'ingres'; did you mean ingress?")]
    [InlineData("bench --sampel router", "unknown option --sampel; did you mean --sample?")]
    [InlineData("diff a.c b.c --fuz 3", "unknown option --fuz; did you mean --fuzz?")]
    [InlineData("analyze x.c --jsn", "unknown option --jsn; did you mean --json?")]
    [InlineData("analyse x.c", "unknown command analyse; did you mean analyze?")]
    [InlineData("help nope", "TOPIC takes inputs, exit-codes, maps, json, daemon, not 'nope'")]
    [InlineData("completion fish", "SHELL takes bash, zsh, not 'fish'")]
    public void Bad_values_and_unknown_options_exit_64_with_the_allowed_values_or_a_suggestion(string line, string message)
    {
        var r = KecleonProcess.Run(line.Split(' '));
        Assert.True(r.ExitCode == ExitCodes.Usage, $"kecleon {line}: exit {r.ExitCode}\n{r.Output}");
        Assert.Contains($"kecleon: {message}", r.Stderr);
    }

    [Fact]
    public void Help_lists_allowed_values()
    {
        var r = KecleonProcess.Run("bench", "--help");
        Assert.Contains("--sample <all|balancer|chain|ddos|firewall|router|switch>", r.Stdout);
        Assert.Contains("--locality <all|high|low|none>", r.Stdout);
    }

    [Fact]
    public void Help_topics_and_completion_scripts()
    {
        var list = KecleonProcess.Run("help");
        Assert.Equal(0, list.ExitCode);
        foreach (var topic in new[] { "inputs", "exit-codes", "maps", "json", "daemon" })
        {
            Assert.Contains(topic, list.Stdout);
            var r = KecleonProcess.Run("help", topic);
            Assert.True(r.ExitCode == 0 && r.Stdout.Length > 100, $"help {topic}: exit {r.ExitCode}\n{r.Output}");
        }
        Assert.Contains("docs/json.md", KecleonProcess.Run("help", "json").Stdout);
        Assert.Contains("complete -o default -F _kecleon_complete kecleon", KecleonProcess.Run("completion", "bash").Stdout);
        Assert.Contains("compdef _kecleon_complete kecleon", KecleonProcess.Run("completion", "zsh").Stdout);
        // What the scripts ask: the parser's own completions.
        var suggest = KecleonProcess.Run("[suggest:15]", "bench --sample ");
        Assert.Equal(["all", "balancer", "chain", "ddos", "firewall", "router", "switch"], suggest.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary>One program in each form: a small C file, the router's own source (in the repository or beside the tool),
    /// a changed copy of it in a samples tree of its own, and IR, bitcode and an object compiled from that C.</summary>
    private static Dictionary<string, string> MakeForms()
    {
        var folder = Directory.CreateDirectory(TestEnvironment.TempFile("", "cli-forms")).FullName;
        var c = Path.Combine(folder, "prog.c");
        File.WriteAllText(c, Programs.EtherTypeVerdict);
        var samples = Path.Combine(AppContext.BaseDirectory, "samples");
        var tree = Path.Combine(folder, "samples");
        Directory.CreateDirectory(Path.Combine(tree, "include"));
        Directory.CreateDirectory(Path.Combine(tree, "mine"));
        foreach (var header in Directory.GetFiles(Path.Combine(samples, "include")))
            File.Copy(header, Path.Combine(tree, "include", Path.GetFileName(header)));
        var mine = Path.Combine(tree, "mine", "router.bpf.c");
        File.WriteAllText(mine, File.ReadAllText(Path.Combine(samples, "router", "router.bpf.c")) + "\n/* a change of my own */\n");
        File.Copy(Path.Combine(samples, "router", "router.h"), Path.Combine(tree, "mine", "router.h"));
        var flags = new[] { "-O2", "-g", "-target", "bpf", "-I/usr/include/x86_64-linux-gnu" };
        string Clang(string output, params string[] extra)
        {
            CorpusLoader.Run(["clang-14", .. flags, .. extra, "-c", c, "-o", Path.Combine(folder, output)]);
            return Path.Combine(folder, output);
        }
        return new()
        {
            ["c"] = c,
            ["sample source"] = Path.Combine(samples, "router", "router.bpf.c"),
            ["samples tree"] = mine,
            ["ll"] = Clang("prog.ll", "-S", "-emit-llvm"),
            ["bc"] = Clang("prog.bc", "-emit-llvm"),
            ["o"] = Clang("prog.o", "-fembed-bitcode"),
            ["sample:router"] = "sample:router",
        };
    }
}
