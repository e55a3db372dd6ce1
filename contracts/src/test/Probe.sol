// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title Probe — a small contract for the C integration tests of libmpavs
/// (JSON-RPC client, ABI codec, event logs, revert decoding, transaction sender).
contract Probe {
    struct Item {
        uint256 n;
        address a;
        bytes b;
    }

    /// @notice div was called with a numerator above `limit`.
    error TooLarge(uint256 value, uint256 limit);

    /// @notice `who` set `value` (with a note and tags).
    event ValueSet(address indexed who, uint256 indexed value, string note, bytes32[] tags);

    /// @notice The last value set.
    uint256 public value;
    /// @notice div refuses numerators above this (TooLarge).
    uint256 public immutable limit;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    /// @notice Stores `v` and emits ValueSet.
    function set(uint256 v, string calldata note, bytes32[] calldata tags) external {
        if (v > limit) revert TooLarge(v, limit);
        value = v;
        emit ValueSet(msg.sender, v, note, tags);
    }

    /// @notice Always reverts with Error(`why`).
    function fail(string calldata why) external pure {
        revert(why);
    }

    /// @notice a / b (b = 0: Panic(0x12)).
    function div(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    /// @notice Returns its arguments (ABI round trip).
    function echo(Item[] calldata xs, int16 k) external pure returns (Item[] memory, int16) {
        return (xs, k);
    }
}
