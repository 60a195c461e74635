namespace Mender.Llm.Chat;

/// <summary>One message of a conversation: role ("system", "user", "assistant", ...) and text.</summary>
internal readonly record struct ChatTurn(string Role, string Content)
{
    public static ChatTurn System(string content) => new("system", content);
    public static ChatTurn User(string content) => new("user", content);
    public static ChatTurn Assistant(string content) => new("assistant", content);
}
