// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import {Trivial} from "../src/Trivial.sol";
contract TrivialTest {
  function test_f() external { require(new Trivial().f() == 42, "f"); }
  function test_p256() external view {
    (bool ok, bytes memory r) = address(0x100).staticcall(new bytes(160));
    require(ok, "call");
    require(r.length == 0, "len0 expected for invalid sig");
    uint256 sz; assembly { sz := extcodesize(0x100) }
  }
}
