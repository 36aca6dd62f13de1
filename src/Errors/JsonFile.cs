using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Kecleon;

/// <summary>Reads a JSON file a user gives Kecleon (a profile, a daemon configuration) into <typeparamref name="T"/>,
/// with errors that name the file, say what is wrong, and end with <c>hint</c> (what to do about it).</summary>
public static class JsonFile
{
    /// <param name="type">The type's source-generated metadata (from a <c>JsonSerializerContext</c>), which also carries
    /// the file's options (naming, comments, unknown keys).</param>
    /// <param name="what">What the file should be, for messages: "a Kecleon profile".</param>
    /// <param name="hint">A sentence on how to get a good one.</param>
    public static T Read<T>(string path, JsonTypeInfo<T> type, string what, string hint) where T : class
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputNotFoundException($"cannot read {what} from {path}: {e.Message}. {hint}");
        }
        try
        {
            return JsonSerializer.Deserialize(text, type) ?? throw new InvalidInputException($"{path} is empty. {hint}");
        }
        catch (JsonException e)
        {
            throw new InvalidInputException($"{path} is not {what}: {e.Message} {hint}");
        }
    }
}
