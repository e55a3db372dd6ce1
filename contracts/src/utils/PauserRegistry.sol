// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

interface IPauserRegistry {
    function isPauser(address) external view returns (bool);
    function unpauser() external view returns (address);
}

/// @title Who may pause (any pauser) and unpause (the unpauser).
contract PauserRegistry is IPauserRegistry {
    mapping(address => bool) public isPauser;
    address public unpauser;

    event PauserStatusChanged(address pauser, bool canPause);
    event UnpauserChanged(address previousUnpauser, address newUnpauser);

    constructor(address[] memory pausers, address _unpauser) {
        for (uint256 i = 0; i < pausers.length; i++) _setIsPauser(pausers[i], true);
        _setUnpauser(_unpauser);
    }

    modifier onlyUnpauser() {
        require(msg.sender == unpauser, "msg.sender is not permissioned as unpauser");
        _;
    }

    function setIsPauser(address pauser, bool canPause) external onlyUnpauser {
        _setIsPauser(pauser, canPause);
    }

    function setUnpauser(address newUnpauser) external onlyUnpauser {
        _setUnpauser(newUnpauser);
    }

    function _setIsPauser(address pauser, bool canPause) internal {
        require(pauser != address(0), "PauserRegistry._setPauser: zero address input");
        isPauser[pauser] = canPause;
        emit PauserStatusChanged(pauser, canPause);
    }

    function _setUnpauser(address newUnpauser) internal {
        require(newUnpauser != address(0), "PauserRegistry._setUnpauser: zero address input");
        emit UnpauserChanged(unpauser, newUnpauser);
        unpauser = newUnpauser;
    }
}
