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

    error TooLarge(uint256 value, uint256 limit);

    event ValueSet(address indexed who, uint256 indexed value, string note, bytes32[] tags);

    uint256 public value;
    uint256 public immutable limit;

    constructor(uint256 limit_) {
        limit = limit_;
    }

    function set(uint256 v, string calldata note, bytes32[] calldata tags) external {
        if (v > limit) revert TooLarge(v, limit);
        value = v;
        emit ValueSet(msg.sender, v, note, tags);
    }

    function fail(string calldata why) external pure {
        revert(why);
    }

    function div(uint256 a, uint256 b) external pure returns (uint256) {
        return a / b;
    }

    function echo(Item[] calldata xs, int16 k) external pure returns (Item[] memory, int16) {
        return (xs, k);
    }
}
