// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
contract Trivial { function f() external pure returns (uint256) { return 42; } }
